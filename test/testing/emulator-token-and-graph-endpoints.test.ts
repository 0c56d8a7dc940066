import { expect } from 'chai';
import { EntraEmulator, GRAPH_PAGE_SIZE, ManualClock } from '../../src/testing';
import { get, postForm } from '../support/http';

describe('Emulator: the token endpoint (client credentials) and Graph transitive membership', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  let tokenUrl: string;

  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock });
    tokenUrl = `${emulator.baseUrl}/${emulator.tenants.primary.id}/oauth2/v2.0/token`;
  });
  after(() => emulator.close());

  const credentials = (): Record<string, string> => ({
    grant_type: 'client_credentials',
    client_id: emulator.apiClientId,
    client_secret: emulator.clientSecret,
    scope: `${emulator.graphUrl}/.default`,
  });
  const membersUrl = (oid: string): string =>
    `${emulator.graphUrl}/v1.0/users/${oid}/transitiveMemberOf/microsoft.graph.group`;

  it("issues an app token for the API's client secret, and refuses a wrong secret, client or grant", async () => {
    const issued = await postForm(tokenUrl, credentials());
    expect(issued.status).to.equal(200);
    expect(issued.json).to.include({ token_type: 'Bearer', expires_in: 3599 });
    expect(issued.json.access_token).to.be.a('string');
    expect((await postForm(tokenUrl, { ...credentials(), client_secret: 'wrong' })).json.error).to.equal(
      'invalid_client',
    );
    // An application the directory does not hold (the client application is one it holds: see the sign-in tests).
    const unknownClient = 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f';
    expect((await postForm(tokenUrl, { ...credentials(), client_id: unknownClient })).json.error).to.equal(
      'unauthorized_client',
    );
    expect((await postForm(tokenUrl, { ...credentials(), grant_type: 'password' })).json.error).to.equal(
      'unsupported_grant_type',
    );
    expect((await get(tokenUrl)).status).to.equal(405);
  });

  it('refuses a tenant without admin consent', async () => {
    emulator.setAdminConsent(emulator.tenants.primary.id, false);
    try {
      const refused = await postForm(tokenUrl, credentials());
      expect([refused.status, refused.json.error]).to.deep.equal([400, 'invalid_grant']);
    } finally {
      emulator.setAdminConsent(emulator.tenants.primary.id, true);
    }
  });

  it("pages the overage user's 252 groups by 100, following @odata.nextLink, and counts requests", async () => {
    const { access_token: accessToken } = (await postForm(tokenUrl, credentials())).json;
    emulator.resetCounters();
    const ids: string[] = [];
    let next: string | undefined =
      `${membersUrl(emulator.users.overageAdministrator.oid)}?$select=id,securityEnabled&$top=999`;
    while (next) {
      const page = await get(next, { authorization: `Bearer ${accessToken}` });
      expect(page.status).to.equal(200);
      expect(page.json.value.length).to.be.at.most(GRAPH_PAGE_SIZE);
      ids.push(...page.json.value.map((group: { id: string }) => group.id));
      next = page.json['@odata.nextLink'];
    }
    expect(ids).to.have.length(252);
    expect(new Set(ids).size).to.equal(252);
    expect(emulator.requestCount('graph')).to.equal(3);
  });

  it('answers Graph 401 without a valid or unexpired app token, 404 for an unknown user', async () => {
    expect((await get(membersUrl(emulator.users.member.oid))).status).to.equal(401);
    const { access_token: accessToken } = (await postForm(tokenUrl, credentials())).json;
    const auth = { authorization: `Bearer ${accessToken}` };
    expect((await get(membersUrl('00000000-0000-0000-0000-000000000001'), auth)).status).to.equal(404);
    expect((await get(membersUrl(emulator.users.administrator.oid), auth)).json.value).to.deep.equal([
      { '@odata.type': '#microsoft.graph.group', id: emulator.groups.administrators, securityEnabled: true },
    ]);
    clock.advanceSeconds(3600);
    expect((await get(membersUrl(emulator.users.administrator.oid), auth)).status).to.equal(401);
  });

  it('throttles with 429 and Retry-After as a fault', async () => {
    emulator.setFault('graph', { kind: 'status', status: 429, retryAfterSeconds: 12 }, { times: 1 });
    const throttled = await get(membersUrl(emulator.users.member.oid));
    expect([throttled.status, throttled.headers['retry-after']]).to.deep.equal([429, '12']);
  });
});
