import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { EntraIdProvider, JwksCache } from '../../src';
import { EntraEmulator, ManualClock } from '../../src/testing';
import { createProvider } from '../support/harness';
import { get, postForm, preflight, type HttpResult } from '../support/http';

const REDIRECT_URI = 'http://127.0.0.1:4321/docs/oauth2-redirect.html';
const PAGE_ORIGIN = 'http://127.0.0.1:4321';

/** A PKCE pair as a browser client makes it (RFC 7636: 32 random bytes, S256). */
function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('Emulator: users sign in at the authorize endpoint (PKCE, persona picker) and redeem the code', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  let provider: EntraIdProvider;
  let cache: JwksCache;
  let authority: string;

  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock });
    ({ provider, cache } = createProvider(emulator, clock));
    authority = `${emulator.baseUrl}/${emulator.tenants.primary.id}/oauth2/v2.0`;
  });
  after(async () => {
    cache.close();
    await emulator.close();
  });

  const authorizeQuery = (challenge: string, extra: Record<string, string> = {}): URLSearchParams =>
    new URLSearchParams({
      response_type: 'code',
      client_id: emulator.clientAppId,
      redirect_uri: REDIRECT_URI,
      scope: `api://${emulator.apiClientId}/.default`,
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

  /** Picks the persona and returns the code the redirect carries. */
  async function codeFor(persona: string, challenge: string, extra: Record<string, string> = {}): Promise<string> {
    const query = authorizeQuery(challenge, { ...extra, persona });
    const answer = await get(`${authority}/authorize?${query}`);
    expect(answer.status, answer.text).to.equal(302);
    const location = new URL(answer.headers.location!);
    expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT_URI);
    expect(location.searchParams.get('state')).to.equal('state-1');
    return location.searchParams.get('code')!;
  }

  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
    postForm(
      `${authority}/token`,
      {
        grant_type: 'authorization_code',
        client_id: emulator.clientAppId,
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        ...extra,
      },
      { origin: PAGE_ORIGIN },
    );

  /** Where a refusal that may be redirected went: its error and state. */
  async function redirectedError(query: URLSearchParams): Promise<[string | null, string | null]> {
    const answer = await get(`${authority}/authorize?${query}`);
    expect(answer.status, answer.text).to.equal(302);
    const location = new URL(answer.headers.location!);
    expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT_URI);
    expect(location.searchParams.get('code')).to.equal(null);
    return [location.searchParams.get('error'), location.searchParams.get('state')];
  }

  it('shows a persona picker (member, administrator, overage administrator) whose links repeat the request', async () => {
    const { challenge } = pkce();
    const page = await get(`${authority}/authorize?${authorizeQuery(challenge)}`);
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).to.contain("default-src 'none'");
    const links = [...page.text.matchAll(/<a class="persona" id="persona-(\w+)" href="\?([^"]+)">/g)];
    expect(links.map((link) => link[1])).to.deep.equal(['member', 'administrator', 'overageAdministrator']);
    const repeated = new URLSearchParams(links[0]![2]!.replace(/&amp;/g, '&'));
    expect(repeated.get('code_challenge')).to.equal(challenge);
    expect(repeated.get('persona')).to.equal('member');
    expect(page.text).to.contain('Megan Member').and.to.contain('Adele Admin').and.to.contain('Olga Overage');
    expect(emulator.requestCount('authorize')).to.be.at.least(1);
  });

  it('issues a code for the persona; the verifier redeems it once, from a loopback page (CORS), for a token the library accepts', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor('administrator', challenge);
    const answer = await redeem(code, verifier);
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.headers['access-control-allow-origin']).to.equal(PAGE_ORIGIN);
    expect(answer.json).to.include({ token_type: 'Bearer', scope: `api://${emulator.apiClientId}/.default` });
    const user = provider.createUserFromToken(await provider.verifyToken(answer.json.access_token));
    expect([user.id, user.scopes, user.isAppOnly]).to.deep.equal([
      emulator.users.administrator.oid,
      ['access_as_user'],
      false,
    ]);
    expect(await user.groups).to.deep.equal([emulator.groups.administrators]);

    const again = await redeem(code, verifier);
    expect([again.status, again.json.error]).to.deep.equal([400, 'invalid_grant']);
  });

  it('puts the requested scopes of the API in scp, and signs the overage persona in with overage claims', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor('overageAdministrator', challenge, {
      scope: `openid profile api://${emulator.apiClientId}/Reports.Read ${emulator.apiClientId}/Reports.Export`,
    });
    const answer = await redeem(code, verifier);
    const claims = (await provider.verifyToken(answer.json.access_token)).claims;
    expect(claims.scp).to.equal('Reports.Read Reports.Export');
    expect(claims.oid).to.equal(emulator.users.overageAdministrator.oid);
    expect(claims).to.have.property('_claim_names');
    expect(claims).to.not.have.property('groups');
  });

  it('signs users of common and organizations in to their home tenant', async () => {
    const { verifier, challenge } = pkce();
    const organizations = `${emulator.baseUrl}/organizations/oauth2/v2.0`;
    const answer = await get(`${organizations}/authorize?${authorizeQuery(challenge, { persona: 'member' })}`);
    const code = new URL(answer.headers.location!).searchParams.get('code')!;
    const token = await postForm(`${organizations}/token`, {
      grant_type: 'authorization_code',
      client_id: emulator.clientAppId,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect((await provider.verifyToken(token.json.access_token)).claims.tid).to.equal(emulator.tenants.primary.id);
  });

  it('refuses a wrong verifier (and the code is then used up), another redirect URI or client, and an expired code', async () => {
    const { verifier, challenge } = pkce();
    const wrong = await redeem(await codeFor('member', challenge), pkce().verifier);
    expect([wrong.status, wrong.json.error]).to.deep.equal([400, 'invalid_grant']);
    expect(wrong.json.error_description).to.match(/^AADSTS501481:/);

    const usedUp = await codeFor('member', challenge);
    await redeem(usedUp, 'too-short');
    expect((await redeem(usedUp, verifier)).json.error).to.equal('invalid_grant');

    const elsewhere = await redeem(await codeFor('member', challenge), verifier, {
      redirect_uri: 'http://127.0.0.1:9999/other',
    });
    expect(elsewhere.json.error_description).to.match(/^AADSTS50011:/);
    const otherClient = await redeem(await codeFor('member', challenge), verifier, {
      client_id: emulator.apiClientId,
    });
    expect(otherClient.json.error).to.equal('invalid_grant');

    const late = await codeFor('member', challenge);
    clock.advance(10 * 60 * 1000);
    const expired = await redeem(late, verifier);
    expect(expired.json.error_description).to.match(/^AADSTS70008:/);
  });

  it('never redirects for an unknown client or a redirect URI off loopback (or with a fragment): it shows an error page', async () => {
    const { challenge } = pkce();
    const refusals: Array<Record<string, string>> = [
      { client_id: 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f' },
      { redirect_uri: 'https://attacker.example/steal' },
      { redirect_uri: `${REDIRECT_URI}#fragment` },
      { redirect_uri: 'javascript:alert(1)' },
    ];
    for (const extra of refusals) {
      const answer = await get(`${authority}/authorize?${authorizeQuery(challenge, { ...extra, persona: 'member' })}`);
      expect([answer.status, answer.headers.location], JSON.stringify(extra)).to.deep.equal([400, undefined]);
      expect(answer.text).to.match(/AADSTS(700016|50011)/);
    }
  });

  it('redirects the other refusals to the client with their error and state: PKCE S256 required, code flow only, scopes of the API', async () => {
    const { challenge } = pkce();
    const refused = (extra: Record<string, string>) =>
      redirectedError(authorizeQuery(challenge, { ...extra, persona: 'member' }));
    expect(await refused({ code_challenge_method: 'plain' })).to.deep.equal(['invalid_request', 'state-1']);
    expect(await refused({ code_challenge: 'short' })).to.deep.equal(['invalid_request', 'state-1']);
    expect(await refused({ response_type: 'token' })).to.deep.equal(['unsupported_response_type', 'state-1']);
    expect(await refused({ response_mode: 'fragment' })).to.deep.equal(['invalid_request', 'state-1']);
    expect(await refused({ scope: 'https://graph.microsoft.com/User.Read' })).to.deep.equal([
      'invalid_scope',
      'state-1',
    ]);
    expect(await refused({ scope: 'openid profile' })).to.deep.equal(['invalid_scope', 'state-1']);
    expect(
      await refused({ scope: `api://${emulator.apiClientId}/.default api://${emulator.apiClientId}/Reports.Read` }),
    ).to.deep.equal(['invalid_scope', 'state-1']);
  });

  it('escapes what it echoes into its pages', async () => {
    const { challenge } = pkce();
    const hostile = '"><script>alert(1)</script>';
    const picker = await get(`${authority}/authorize?${authorizeQuery(challenge, { state: hostile })}`);
    expect(picker.status).to.equal(200);
    expect(picker.text).to.not.contain('<script>');
    const error = await get(`${authority}/authorize?${authorizeQuery(challenge, { client_id: hostile })}`);
    expect(error.status).to.equal(400);
    expect(error.text).to.not.contain('<script>');
    expect(error.text).to.contain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers CORS preflights of loopback pages only', async () => {
    const allowed = await preflight(`${authority}/token`, {
      origin: PAGE_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-requested-with',
    });
    expect(allowed.status).to.equal(204);
    expect(allowed.headers['access-control-allow-origin']).to.equal(PAGE_ORIGIN);
    expect(allowed.headers['access-control-allow-headers']).to.contain('x-requested-with');
    const foreign = await preflight(`${authority}/token`, { origin: 'https://attacker.example' });
    expect([foreign.status, foreign.headers['access-control-allow-origin']]).to.deep.equal([204, undefined]);
    const { verifier, challenge } = pkce();
    const code = await codeFor('member', challenge);
    const fromForeignPage = await postForm(
      `${authority}/token`,
      {
        grant_type: 'authorization_code',
        client_id: emulator.clientAppId,
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      { origin: 'https://attacker.example' },
    );
    expect(fromForeignPage.headers['access-control-allow-origin']).to.equal(undefined);
  });

  it('gives the client application an app-only token for the API by client credentials (secret in the form or Basic)', async () => {
    const form = {
      grant_type: 'client_credentials',
      scope: `api://${emulator.apiClientId}/.default`,
    };
    const inForm = await postForm(`${authority}/token`, {
      ...form,
      client_id: emulator.clientAppId,
      client_secret: emulator.clientAppSecret,
    });
    const basic = Buffer.from(`${emulator.clientAppId}:${emulator.clientAppSecret}`).toString('base64');
    const inHeader = await postForm(`${authority}/token`, form, { authorization: `Basic ${basic}` });
    for (const answer of [inForm, inHeader]) {
      expect(answer.status, answer.text).to.equal(200);
      const user = provider.createUserFromToken(await provider.verifyToken(answer.json.access_token));
      expect([user.isAppOnly, user.roles, user.clientId]).to.deep.equal([
        true,
        ['Tenant.Read.All'],
        emulator.clientAppId,
      ]);
    }
    const wrongSecret = await postForm(`${authority}/token`, {
      ...form,
      client_id: emulator.clientAppId,
      client_secret: 'wrong',
    });
    expect([wrongSecret.status, wrongSecret.json.error]).to.deep.equal([401, 'invalid_client']);
    const userScope = await postForm(`${authority}/token`, {
      ...form,
      scope: `api://${emulator.apiClientId}/Reports.Read`,
      client_id: emulator.clientAppId,
      client_secret: emulator.clientAppSecret,
    });
    expect(userScope.json.error).to.equal('invalid_scope');
  });
});
