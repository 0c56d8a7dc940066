import { expect } from 'chai';
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { ConfigurationError, parseRequirement } from '../../src';
import { requireAuthContext, requireAuthorized } from '../../src/routing-controllers';
import type { EntraEmulator } from '../../src/testing';
import { startupProblems, withApp, type TestApp } from '../support/app';
import { bearer, get, type HttpResult } from '../support/http';

@JsonController('/step-up')
class StepUpController {
  @Authorized(['authContext:c1'])
  @Get('/any-user')
  anyUser() {
    return { ok: true };
  }

  @Authorized(['role:Auditor', 'authContext:c1'])
  @Get('/auditor')
  auditor() {
    return { ok: true };
  }

  @Authorized(['authContext:c1', 'authContext:c2'])
  @Get('/two-contexts')
  twoContexts() {
    return { ok: true };
  }

  @UseBefore(requireAuthContext(['c3']))
  @Get('/guarded')
  guarded() {
    return { ok: true };
  }

  @UseBefore(requireAuthorized(['role:Auditor', 'AuthContext:c1']))
  @Get('/guarded-list')
  guardedList() {
    return { ok: true };
  }
}

/** The parameters of a `Bearer` challenge, by name. */
function challengeOf(response: HttpResult): Record<string, string> {
  const header = response.headers['www-authenticate'];
  expect(header, 'WWW-Authenticate').to.be.a('string');
  expect(header).to.match(/^Bearer /);
  return Object.fromEntries(
    [...(header as string).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1]!, match[2]!]),
  );
}

function claimsRequestOf(response: HttpResult): unknown {
  return JSON.parse(Buffer.from(challengeOf(response).claims!, 'base64').toString('utf8'));
}

describe('Step-up: Conditional Access authentication contexts (authContext:, requireAuthContext)', () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    app = await withApp({ controllers: [StepUpController] });
    emulator = app.emulator;
  });
  after(() => app.close());

  const call = (path: string, token?: string): Promise<HttpResult> =>
    get(`${app.url}/step-up${path}`, token ? bearer(token) : {});

  it('answers a token without the context with 401 and the claims challenge Microsoft documents, and 200 once acrs holds it', async () => {
    const refused = await call('/any-user', emulator.mintAccessToken());
    expect(refused.status).to.equal(401);
    expect(refused.json).to.deep.equal({
      error: 'insufficient_claims',
      error_description: 'This resource requires a stronger authentication than the access token carries.',
      reason: 'auth_context_required',
    });
    const tenant = emulator.tenants.primary.id;
    expect(challengeOf(refused)).to.deep.equal({
      realm: tenant,
      authorization_uri: `${emulator.baseUrl}/${tenant}/oauth2/v2.0/authorize`,
      error: 'insufficient_claims',
      error_description: 'This resource requires a stronger authentication than the access token carries.',
      claims: Buffer.from('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}').toString('base64'),
    });
    expect(claimsRequestOf(refused)).to.deep.equal({ access_token: { acrs: { essential: true, value: 'c1' } } });
    expect(refused.headers['cache-control']).to.equal('no-store');

    expect((await call('/any-user', emulator.mintAccessToken({ authContexts: ['c1'] }))).status).to.equal(200);
    expect((await call('/any-user', emulator.mintAccessToken({ authContexts: ['c2', 'c1'] }))).status).to.equal(200);
    expect((await call('/any-user', emulator.mintAccessToken({ authContexts: ['c2'] }))).status).to.equal(401);
    expect(
      (await call('/any-user', emulator.mintAccessToken({ version: '1.0', authContexts: ['c1'] }))).status,
    ).to.equal(200);
  });

  it('still asks an anonymous caller to authenticate first (401 token_missing, no claims challenge)', async () => {
    const anonymous = await call('/any-user');
    expect([anonymous.status, anonymous.json.reason]).to.deep.equal([401, 'token_missing']);
    expect(anonymous.headers['www-authenticate']).to.equal('Bearer realm="api"');
  });

  it('is a condition besides the grants, never a grant: a role without c1 is challenged, c1 without the role is refused 403', async () => {
    const roleOnly = await call('/auditor', emulator.mintAccessToken({ roles: ['Auditor'] }));
    expect([roleOnly.status, roleOnly.json.reason]).to.deep.equal([401, 'auth_context_required']);
    // Stepping up would not help this user: no challenge, the refusal of the grant.
    const contextOnly = await call('/auditor', emulator.mintAccessToken({ authContexts: ['c1'] }));
    expect([contextOnly.status, contextOnly.json.reason]).to.deep.equal([403, 'insufficient_roles']);
    expect(contextOnly.headers['www-authenticate']).to.equal(undefined);
    const both = await call('/auditor', emulator.mintAccessToken({ roles: ['Auditor'], authContexts: ['c1'] }));
    expect(both.status).to.equal(200);
  });

  it('requires ALL contexts of a list, challenging the first missing one in list order', async () => {
    expect(claimsRequestOf(await call('/two-contexts', emulator.mintAccessToken()))).to.deep.equal({
      access_token: { acrs: { essential: true, value: 'c1' } },
    });
    expect(
      claimsRequestOf(await call('/two-contexts', emulator.mintAccessToken({ authContexts: ['c1'] }))),
    ).to.deep.equal({ access_token: { acrs: { essential: true, value: 'c2' } } });
    expect((await call('/two-contexts', emulator.mintAccessToken({ authContexts: ['c1', 'c2'] }))).status).to.equal(
      200,
    );
  });

  it('guards: requireAuthContext challenges for its context; requireAuthorized judges a whole list the same way', async () => {
    const guarded = await call('/guarded', emulator.mintAccessToken({ authContexts: ['c1'] }));
    expect(guarded.status).to.equal(401);
    expect(claimsRequestOf(guarded)).to.deep.equal({ access_token: { acrs: { essential: true, value: 'c3' } } });
    expect((await call('/guarded', emulator.mintAccessToken({ authContexts: ['c3'] }))).status).to.equal(200);

    expect((await call('/guarded-list', emulator.mintAccessToken({ authContexts: ['c1'] }))).status).to.equal(403);
    expect((await call('/guarded-list', emulator.mintAccessToken({ roles: ['Auditor'] }))).status).to.equal(401);
    expect(
      (await call('/guarded-list', emulator.mintAccessToken({ roles: ['Auditor'], authContexts: ['c1'] }))).status,
    ).to.equal(200);
  });

  it('refuses a token whose acrs is not a list of strings (token_malformed), rather than reading it as no context', async () => {
    for (const acrs of ['c1', [1], { c1: true }]) {
      const response = await call('/any-user', emulator.mintAccessToken({ claims: { acrs } }));
      expect([response.status, response.json.reason], JSON.stringify(acrs)).to.deep.equal([401, 'token_malformed']);
    }
  });

  it('names the common endpoint and an empty realm for a multi-tenant API', async () => {
    const multi = await withApp({
      controllers: [StepUpController],
      sharing: app,
      settings: { tenantId: 'organizations', validateTenant: false },
    });
    try {
      const refused = await get(`${multi.url}/step-up/any-user`, bearer(emulator.mintAccessToken()));
      expect(refused.status).to.equal(401);
      const challenge = challengeOf(refused);
      expect([challenge.realm, challenge.authorization_uri]).to.deep.equal([
        '',
        `${emulator.baseUrl}/common/oauth2/v2.0/authorize`,
      ]);
    } finally {
      await multi.close();
    }
  });

  it('checks context ids at startup: c1 to c99, as Entra names them', async () => {
    for (const entry of ['authContext:c0', 'authContext:c100', 'authContext:C1', 'authContext:1', 'authContext:']) {
      expect(parseRequirement(entry), entry).to.be.a('string');
    }
    for (const entry of ['authContext:c1', 'authcontext:c25', 'AUTHCONTEXT:c99']) {
      expect(parseRequirement(entry), entry).to.deep.include({ kind: 'authContext' });
    }
    @JsonController('/bad-context')
    class BadContextController {
      @Authorized(['authContext:mfa'])
      @Get('/route')
      route() {
        return {};
      }
    }
    expect(await startupProblems(() => withApp({ controllers: [BadContextController], sharing: app }))).to.deep.equal([
      '@Authorized on GET /bad-context/route (BadContextController.route): "authContext:mfa": an authentication context is an id from c1 to c99, as Entra names them',
    ]);
    expect(() => requireAuthContext([])).to.throw(ConfigurationError);
    expect(() => requireAuthContext(['c1 '])).to.throw(ConfigurationError);
  });
});
