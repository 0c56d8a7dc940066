import { expect } from 'chai';
import { inspect } from 'node:util';
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { Lifecycle, type DependencyContainer } from 'tsyringe';
import {
  ConfigurationError,
  GraphGroupsProvider,
  GroupsProvider,
  describeReason,
  loadSettings,
  type EntraIdUser,
  type SettingsInput,
} from '../../../src';
import { MembershipCache, type TimedMembership } from '../../../src/core/graph/membership-cache';
import {
  GRAPH_PAGE_SIZE,
  ManualClock,
  microsoft365GroupIds,
  primaryTenant,
  secondaryTenant,
  type EntraEmulator,
} from '../../../src/testing';
import { startupProblems, withApp, type TestApp } from '../../support/app';
import { createTestCertificate, type TestCertificate } from '../../support/certificate';
import { bearer, get, type HttpResult } from '../../support/http';

const PREFIX = 'AUTH_PROVIDER_AZURE_ENTRA_ID_';
/** 250 security groups at Graph's 100 per page. */
const PAGES_PER_LOOKUP = Math.ceil(250 / GRAPH_PAGE_SIZE);

@JsonController('/graph')
class GraphGroupsController {
  @Authorized(['Administrators'])
  @Get('/administrators')
  administrators() {
    return { ok: true };
  }

  @Authorized()
  @Get('/groups')
  async groups(@CurrentUser() user: EntraIdUser) {
    return { groups: await user.groups };
  }
}

function graphSettings(emulator: EntraEmulator, extra: SettingsInput = {}): SettingsInput {
  return {
    groupAliases: { Administrators: emulator.groups.administrators },
    clientSecret: emulator.clientSecret,
    graphUrl: emulator.graphUrl,
    ...extra,
  };
}

function useGraph(container: DependencyContainer): void {
  container.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
}

function startGraphApp(extra: SettingsInput = {}, sharing?: TestApp): Promise<TestApp> {
  return withApp({
    controllers: [GraphGroupsController],
    settings: (emulator) => graphSettings(emulator, extra),
    configure: useGraph,
    sharing,
  });
}

function expectGroupsUnavailable(response: HttpResult): void {
  expect(response.status, response.text).to.equal(503);
  expect(response.json).to.deep.equal({
    error: 'temporarily_unavailable',
    error_description: describeReason('groups_unavailable'),
    reason: 'groups_unavailable',
  });
  expect(Number(response.headers['retry-after'])).to.be.at.least(1);
}

describe('GraphGroupsProvider: groups overage resolved through Microsoft Graph', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  let app: TestApp;
  let overageToken: string;

  before(async () => {
    app = await startGraphApp();
    ({ clock, emulator } = app);
    overageToken = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
  });
  after(() => app.close());
  beforeEach(() => emulator.resetCounters());

  it('the overage token carries _claim_names and no groups (250 groups do not fit)', () => {
    const claims = JSON.parse(Buffer.from(overageToken.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).to.not.have.property('groups');
    expect(claims._claim_names).to.deep.equal({ groups: 'src1' });
  });

  it('passes @Authorized(["Administrators"]) for a user in 250 groups through one Graph lookup; the same request again makes no Graph call', async () => {
    expect((await get(`${app.url}/graph/administrators`, bearer(overageToken))).status).to.equal(200);
    expect(emulator.requestCount('token')).to.equal(1);
    expect(emulator.requestCount('graph')).to.equal(PAGES_PER_LOOKUP);

    expect((await get(`${app.url}/graph/administrators`, bearer(overageToken))).status).to.equal(200);
    const again = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
    expect((await get(`${app.url}/graph/administrators`, bearer(again))).status).to.equal(200);
    expect(emulator.requestCount('graph')).to.equal(PAGES_PER_LOOKUP);
    expect(emulator.requestCount('token')).to.equal(1);
  });

  it('resolves transitive security groups only: all 250 pages, no Microsoft 365 groups', async () => {
    const { json } = await get(`${app.url}/graph/groups`, bearer(overageToken));
    expect(json.groups).to.have.length(250);
    expect(json.groups).to.include(emulator.groups.administrators);
    for (const id of microsoft365GroupIds) expect(json.groups).to.not.include(id);
  });

  it('never calls Graph for tokens without overage', async () => {
    const administrator = emulator.mintAccessToken({ user: emulator.users.administrator });
    expect((await get(`${app.url}/graph/administrators`, bearer(administrator))).status).to.equal(200);
    expect((await get(`${app.url}/graph/administrators`, bearer(emulator.mintAccessToken()))).status).to.equal(403);
    expect(emulator.requestCount('graph') + emulator.requestCount('token')).to.equal(0);
  });

  it("never follows the token's _claim_sources URL", async () => {
    const token = emulator.mintAccessToken({
      user: emulator.users.overageAdministrator,
      claims: { _claim_sources: { src1: { endpoint: `${emulator.baseUrl}/follow-me` } } },
    });
    expect((await get(`${app.url}/graph/administrators`, bearer(token))).status).to.equal(200);
    expect(emulator.requestLog.filter((line) => line.includes('follow-me'))).to.deep.equal([]);
  });

  it('looks up again after GROUPS_CACHE_TTL, reusing the app token', async () => {
    clock.advanceSeconds(601);
    expect((await get(`${app.url}/graph/administrators`, bearer(overageToken))).status).to.equal(200);
    expect(emulator.requestCount('graph')).to.equal(PAGES_PER_LOOKUP);
    expect(emulator.requestCount('token')).to.equal(0);
  });
});

describe('GraphGroupsProvider: single-flight per user', () => {
  it('200 concurrent requests of one overage user make one Graph lookup and one token request', async () => {
    const app = await startGraphApp();
    const { emulator } = app;
    try {
      const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
      const responses = await Promise.all(
        Array.from({ length: 200 }, () => get(`${app.url}/graph/administrators`, bearer(token))),
      );
      expect(responses.map((response) => response.status)).to.deep.equal(Array(200).fill(200));
      expect(emulator.requestCount('graph')).to.equal(PAGES_PER_LOOKUP);
      expect(emulator.requestCount('token')).to.equal(1);
    } finally {
      await app.close();
    }
  });
});

describe('GraphGroupsProvider: Graph that cannot answer ends in 503 groups_unavailable, never in "no groups" or 500', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  let app: TestApp;
  let token: string;

  beforeEach(async () => {
    app = await startGraphApp({ httpTimeoutMs: 300 });
    ({ clock, emulator } = app);
    token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
  });
  afterEach(() => app.close());

  const request = (): Promise<HttpResult> => get(`${app.url}/graph/administrators`, bearer(token));

  it('honours throttling: 429 with Retry-After gives 503 with that Retry-After, and no Graph call before it passes', async () => {
    emulator.setFault('graph', { kind: 'status', status: 429, retryAfterSeconds: 7 }, { times: 1 });
    const throttled = await request();
    expectGroupsUnavailable(throttled);
    expect(throttled.headers['retry-after']).to.equal('7');
    expect(emulator.requestCount('graph')).to.equal(1);

    clock.advanceSeconds(5);
    const waiting = await request();
    expectGroupsUnavailable(waiting);
    expect(waiting.headers['retry-after']).to.equal('2');
    expect(emulator.requestCount('graph')).to.equal(1);

    clock.advanceSeconds(2);
    expect((await request()).status).to.equal(200);
    expect(emulator.requestCount('graph')).to.equal(1 + PAGES_PER_LOOKUP);
  });

  it('Graph failing (500) or down: 503, backing off from 1 s, then recovers', async () => {
    emulator.setFault('graph', { kind: 'status', status: 500 });
    expectGroupsUnavailable(await request());
    expectGroupsUnavailable(await request());
    expect(emulator.requestCount('graph')).to.equal(1);
    clock.advanceSeconds(1);
    emulator.setFault('graph', { kind: 'down' });
    const down = await request();
    expectGroupsUnavailable(down);
    expect(down.headers['retry-after']).to.equal('2');
    expect(emulator.requestCount('graph')).to.equal(2);
    emulator.setFault('graph', undefined);
    clock.advanceSeconds(2);
    expect((await request()).status).to.equal(200);
  });

  it('one user unknown to Graph (404) holds back that user only, never the other users of the tenant', async () => {
    const ghost = emulator.mintAccessToken({
      user: { ...emulator.users.overageAdministrator, oid: '7c0b52a2-70c7-4f0c-9a4e-4d6f2b0e9a11' },
    });
    expectGroupsUnavailable(await get(`${app.url}/graph/administrators`, bearer(ghost)));
    expect((await request()).status).to.equal(200);
    expectGroupsUnavailable(await get(`${app.url}/graph/administrators`, bearer(ghost)));
  });

  it('a lookup whose pages each arrive just in time is cut at two request timeouts: 503', async () => {
    // 700 ms a page, well under a 1 s timeout; three pages would take 2.1 s, past the 2 s deadline.
    const patient = await startGraphApp({ httpTimeoutMs: 1000 }, app);
    try {
      emulator.setFault('graph', { kind: 'slow', delayMs: 700 });
      expectGroupsUnavailable(await get(`${patient.url}/graph/administrators`, bearer(token)));
      expect(emulator.requestCount('graph')).to.equal(3);
    } finally {
      await patient.close();
    }
  });

  it('Graph slower than HTTP_TIMEOUT_MS: 503', async () => {
    emulator.setFault('graph', { kind: 'slow', delayMs: 2000 });
    expectGroupsUnavailable(await request());
  });

  it('the token endpoint refusing (admin consent withdrawn in the tenant): 503, and Graph is not called', async () => {
    emulator.setAdminConsent(emulator.tenants.primary.id, false);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      expectGroupsUnavailable(await request());
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(emulator.requestCount('graph')).to.equal(0);
    expect(warnings.join('\n')).to.contain(emulator.tenants.primary.id).and.not.contain(emulator.clientSecret);
    expect(warnings.join('\n')).to.not.contain(emulator.users.overageAdministrator.oid);
  });

  it('groups with limited properties (Graph permission too narrow to read groups): 503, not groups dropped', async () => {
    const limited = JSON.stringify({
      value: [{ '@odata.type': '#microsoft.graph.group', id: emulator.groups.administrators }],
    });
    emulator.setFault('graph', { kind: 'garbage', body: limited });
    expectGroupsUnavailable(await request());
  });

  it('an @odata.nextLink off the Graph origin is never followed: 503', async () => {
    const foreign = JSON.stringify({
      value: [],
      '@odata.nextLink': `${emulator.baseUrl.replace('127.0.0.1', 'localhost')}/v1.0/users/x/transitiveMemberOf/microsoft.graph.group`,
    });
    emulator.setFault('graph', { kind: 'garbage', body: foreign }, { times: 1 });
    expectGroupsUnavailable(await request());
    expect(emulator.requestCount('graph')).to.equal(1);
  });

  it("an @odata.nextLink on the Graph origin that leaves the user's transitiveMemberOf resource is never followed: 503", async () => {
    // A member (no admin) whose token shows overage: a link to the administrator's memberships would make them admin.
    const member = emulator.mintAccessToken({ user: emulator.users.member, groups: [], claims: { hasgroups: true } });
    const resource = (oid: string): string =>
      `${emulator.graphUrl}/v1.0/users/${oid}/transitiveMemberOf/microsoft.graph.group`;
    const {
      member: { oid },
      administrator,
    } = emulator.users;
    for (const link of [
      `${resource(administrator.oid)}?$skiptoken=0`,
      `${resource(oid)}/../../${administrator.oid}/transitiveMemberOf/microsoft.graph.group`,
      `${emulator.graphUrl}/v1.0/users/${oid}/%2E%2E/${administrator.oid}/transitiveMemberOf/microsoft.graph.group`,
      `${emulator.graphUrl}/v1.0/users/${oid}%2F..%2F${administrator.oid}/transitiveMemberOf/microsoft.graph.group`,
      `${emulator.graphUrl}/v1.0/users/${oid}/memberOf`,
      `${emulator.graphUrl}/beta/users/${oid}/transitiveMemberOf/microsoft.graph.group`,
      `${resource(oid)}/`,
      resource(oid).replace('://', '://user:password@'),
      `${emulator.graphUrl}/v1.0/users/${oid}/transitiveMemberOf/microsoft.graph.group%`,
    ]) {
      emulator.resetCounters();
      emulator.setFault(
        'graph',
        { kind: 'garbage', body: JSON.stringify({ value: [], '@odata.nextLink': link }) },
        { times: 1 },
      );
      const response = await get(`${app.url}/graph/administrators`, bearer(member));
      expect(response.status, link).to.equal(503);
      expect(emulator.requestCount('graph'), link).to.equal(1);
      clock.advanceSeconds(60);
    }
    // The same resource with another query (the next page) is followed.
    emulator.setFault(
      'graph',
      {
        kind: 'garbage',
        body: JSON.stringify({ value: [], '@odata.nextLink': `${resource(oid)}?$skiptoken=0&$top=5` }),
      },
      { times: 1 },
    );
    const followed = await get(`${app.url}/graph/groups`, bearer(member));
    expect([followed.status, followed.json.groups]).to.deep.equal([200, [...emulator.users.member.groups]]);
  });

  it('the token endpoint throttling (429): 503 with its Retry-After', async () => {
    emulator.setFault('token', { kind: 'status', status: 429, retryAfterSeconds: 3 }, { times: 1 });
    const response = await request();
    expectGroupsUnavailable(response);
    expect(response.headers['retry-after']).to.equal('3');
  });
});

describe('GraphGroupsProvider: one app token per tenant', () => {
  it("a multi-tenant API acquires a token in each user's tenant", async () => {
    const [primary, secondary] = [primaryTenant, secondaryTenant];
    const app = await startGraphApp({ tenantId: 'organizations', allowedTenants: [primary.id, secondary.id] });
    const { clock, emulator } = app;
    try {
      for (const tenantId of [primary.id, secondary.id, primary.id]) {
        const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator, tenantId });
        clock.advanceSeconds(601);
        expect((await get(`${app.url}/graph/administrators`, bearer(token))).status).to.equal(200);
      }
      const tokenRequests = emulator.requestLog.filter((line) => line.includes('/oauth2/v2.0/token'));
      expect(tokenRequests).to.deep.equal([
        `POST /${primary.id}/oauth2/v2.0/token`,
        `POST /${secondary.id}/oauth2/v2.0/token`,
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('GraphGroupsProvider: certificate credentials', () => {
  let certificate: TestCertificate;
  before(() => {
    certificate = createTestCertificate();
  });
  after(() => certificate.remove());

  it("authenticates with a client assertion signed by the certificate's key", async () => {
    const app = await startGraphApp({ clientSecret: undefined, clientCertificatePath: certificate.combinedPath });
    const { emulator } = app;
    emulator.registerClientCertificate(certificate.certificatePem);
    try {
      const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
      expect((await get(`${app.url}/graph/administrators`, bearer(token))).status).to.equal(200);
      expect(emulator.requestCount('token')).to.equal(1);
    } finally {
      await app.close();
    }
  });

  it('an unregistered certificate is refused by the token endpoint: 503, not "no groups"', async () => {
    const app = await startGraphApp({ clientSecret: undefined, clientCertificatePath: certificate.combinedPath });
    const { emulator } = app;
    try {
      const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
      expectGroupsUnavailable(await get(`${app.url}/graph/administrators`, bearer(token)));
      expect(emulator.requestCount('graph')).to.equal(0);
    } finally {
      await app.close();
    }
  });
});

describe('GraphGroupsProvider: misconfiguration fails the start, naming the variable, never printing the secret', () => {
  const TENANT = '03871dfd-7277-41de-895d-62c1a1a953ea';
  const CLIENT = '1eda41f4-3759-4ef1-b592-691c21616be8';
  const SECRET = 'very-secret-value~42';
  const base = { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT };
  let certificate: TestCertificate;
  before(() => {
    certificate = createTestCertificate();
  });
  after(() => certificate.remove());

  function problemsOf(env: Record<string, string>, input: SettingsInput = {}): string {
    try {
      loadSettings(input, { ...base, ...env });
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigurationError);
      return (error as ConfigurationError).message;
    }
    expect.fail('expected a ConfigurationError');
  }

  it('reads CLIENT_SECRET, GRAPH_URL and GROUPS_CACHE_TTL, with the documented defaults', () => {
    const defaults = loadSettings({}, base);
    expect([defaults.graphUrl, defaults.groupsCacheTtl, defaults.clientCredential]).to.deep.equal([
      'https://graph.microsoft.com',
      600,
      undefined,
    ]);
    const settings = loadSettings(
      {},
      {
        ...base,
        [`${PREFIX}CLIENT_SECRET`]: SECRET,
        [`${PREFIX}GRAPH_URL`]: 'https://graph.microsoft.us/',
        [`${PREFIX}GROUPS_CACHE_TTL`]: '120',
      },
    );
    expect([settings.graphUrl, settings.groupsCacheTtl, settings.clientCredential?.kind]).to.deep.equal([
      'https://graph.microsoft.us',
      120,
      'secret',
    ]);
    expect(JSON.stringify(settings)).to.not.contain(SECRET);
    expect(inspect(settings, { depth: 5, showHidden: true })).to.not.contain(SECRET);
    expect(String(settings.clientCredential)).to.not.contain(SECRET);
  });

  it('a certificate file that cannot be read, or lacks the key or the certificate', () => {
    expect(problemsOf({ [`${PREFIX}CLIENT_CERTIFICATE_PATH`]: '/nonexistent/cert.pem' })).to.contain(
      `${PREFIX}CLIENT_CERTIFICATE_PATH: the file cannot be read`,
    );
    expect(problemsOf({ [`${PREFIX}CLIENT_CERTIFICATE_PATH`]: certificate.certificateOnlyPath })).to.contain(
      `${PREFIX}CLIENT_CERTIFICATE_PATH: the file holds no unencrypted PEM private key`,
    );
    expect(
      loadSettings({}, { ...base, [`${PREFIX}CLIENT_CERTIFICATE_PATH`]: certificate.combinedPath }).clientCredential
        ?.kind,
    ).to.equal('certificate');
  });

  it("both credentials, a credential without the API's client GUID, a plain-http Graph or a bad TTL", () => {
    const both = problemsOf({
      [`${PREFIX}CLIENT_SECRET`]: SECRET,
      [`${PREFIX}CLIENT_CERTIFICATE_PATH`]: certificate.combinedPath,
    });
    expect(both).to.contain('both are set').and.not.contain(SECRET);
    const noGuid = problemsOf({ [`${PREFIX}AUDIENCE_ID`]: 'api://contoso-api', [`${PREFIX}CLIENT_SECRET`]: SECRET });
    expect(noGuid).to.contain('application (client) GUID').and.not.contain(SECRET);
    expect(problemsOf({ [`${PREFIX}GRAPH_URL`]: 'http://graph.example' })).to.contain(`${PREFIX}GRAPH_URL`);
    expect(problemsOf({ [`${PREFIX}GROUPS_CACHE_TTL`]: '0' })).to.contain(`${PREFIX}GROUPS_CACHE_TTL`);
  });

  it('GraphGroupsProvider registered without credentials fails while the app is composed', async () => {
    const problems = await startupProblems(() => startGraphApp({ clientSecret: undefined }));
    expect(problems.join('\n')).to.contain(`${PREFIX}CLIENT_SECRET`);
  });
});

describe('MembershipCache: bounded in size, least recently used out first, expiring on the injected clock', () => {
  const TEN_MINUTES = 600_000;

  it('keeps at most its bound of users', async () => {
    const clock = new ManualClock();
    const cache = new MembershipCache(clock, 2);
    let lookups = 0;
    const lookup = async (): Promise<TimedMembership> => {
      lookups++;
      return { groups: [], expiresAt: clock.now() + TEN_MINUTES };
    };
    await cache.get('t', 'a', lookup);
    await cache.get('t', 'b', lookup);
    await cache.get('t', 'a', lookup);
    await cache.get('t', 'c', lookup);
    expect(cache.size).to.equal(2);
    await cache.get('t', 'a', lookup);
    expect(lookups).to.equal(3);
    await cache.get('t', 'b', lookup);
    expect(lookups).to.equal(4);
  });

  it('looks up again once the expiry its lookup gave has passed on the injected clock, never before', async () => {
    const clock = new ManualClock();
    const cache = new MembershipCache(clock);
    let lookups = 0;
    const lookup = async (): Promise<TimedMembership> => ({
      groups: [`group-${++lookups}`],
      expiresAt: clock.now() + TEN_MINUTES,
    });
    expect(await cache.get('t', 'a', lookup)).to.deep.equal(['group-1']);
    clock.advanceSeconds(599);
    expect(await cache.get('t', 'a', lookup)).to.deep.equal(['group-1']);
    clock.advanceSeconds(2);
    expect(await cache.get('t', 'a', lookup)).to.deep.equal(['group-2']);
  });

  it('keeps an answer only for the time it has left (one another instance looked up earlier)', async () => {
    const clock = new ManualClock();
    const cache = new MembershipCache(clock);
    let lookups = 0;
    const lookup = async (): Promise<TimedMembership> => ({
      groups: [`group-${++lookups}`],
      expiresAt: clock.now() + 1000,
    });
    await cache.get('t', 'a', lookup);
    clock.advance(1001);
    expect(await cache.get('t', 'a', lookup)).to.deep.equal(['group-2']);
  });

  it('shares one lookup between concurrent callers, and keeps no failure', async () => {
    const clock = new ManualClock();
    const cache = new MembershipCache(clock);
    let lookups = 0;
    const failing = async (): Promise<TimedMembership> => {
      lookups++;
      throw new Error('Graph down');
    };
    const outcomes = await Promise.allSettled([cache.get('t', 'a', failing), cache.get('T', 'A', failing)]);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'rejected']);
    expect(lookups).to.equal(1);
    expect(
      await cache.get('t', 'a', async () => ({ groups: ['g'], expiresAt: clock.now() + TEN_MINUTES })),
    ).to.deep.equal(['g']);
  });
});
