import { expect } from 'chai';
import { createClient } from 'redis';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { Lifecycle, type DependencyContainer } from 'tsyringe';
import { GraphGroupsProvider, GroupsProvider, Settings, SharedStore } from '../../../src';
import { EntraEmulator, type EmulatorUser } from '../../../src/testing';
import { withApp, type TestApp } from '../../support/app';
import { eventually } from '../../support/eventually';
import { graphLookups } from '../../support/graph-lookups';
import { startFleetInstance } from '../../support/fleet-instance';
import { bearer, get } from '../../support/http';
import {
  TEST_STORE_TIMEOUT_MS,
  requireRedisServer,
  startRedisServer,
  type RedisServer,
} from '../../support/redis-server';

@JsonController()
class FleetGroupsController {
  @Authorized(['Administrators'])
  @Get('/admin/users')
  users() {
    return { ok: true };
  }
}

function useGraph(container: DependencyContainer): void {
  container.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
}

const OTHER_GROUPS = Array.from(
  { length: 250 },
  (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
);

/** A new user in 250 security groups (Administrators among them, or not): tokens show overage, so authorizing needs Graph. */
function overageUser(emulator: EntraEmulator, administrator = true): EmulatorUser {
  return emulator.createUser(administrator ? [emulator.groups.administrators, ...OTHER_GROUPS.slice(1)] : OTHER_GROUPS);
}

describe('GraphGroupsProvider on a shared store: the fleet makes one Graph lookup per user and backs off together (docs/design.md#fleet)', function () {
  this.timeout(30000);
  if (!requireRedisServer('the fleet Graph suite')) return;
  let redis: RedisServer;
  let instances: TestApp[];
  let emulator: EntraEmulator;

  /** `count` instances of one app (one container each, as separate processes would have), on one Redis and one Microsoft. */
  async function startFleet(count: number, groupsCacheTtl?: number): Promise<TestApp[]> {
    const options = {
      controllers: [FleetGroupsController],
      settings: (emulatorOfApp: EntraEmulator) => ({
        ...(groupsCacheTtl === undefined ? {} : { groupsCacheTtl }),
        groupAliases: { Administrators: emulatorOfApp.groups.administrators },
        clientSecret: emulatorOfApp.clientSecret,
        graphUrl: emulatorOfApp.graphUrl,
        redisUrl: redis.url,
        storeTimeoutMs: TEST_STORE_TIMEOUT_MS,
      }),
      configure: useGraph,
    };
    const first = await withApp(options);
    const apps = [first];
    for (let index = 1; index < count; index++) apps.push(await withApp({ ...options, sharing: first }));
    for (const app of apps) {
      const store = app.container.resolve(SharedStore);
      await eventually(() => store.health().state === 'available', 'the store connection');
    }
    return apps;
  }

  const adminUsers = (app: TestApp, user: EmulatorUser) =>
    get(`${app.url}/admin/users`, bearer(app.emulator.mintAccessToken({ user })));

  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    // The instances that shared the first one's emulator close first; the first closes it.
    for (const app of instances.reverse()) await app.close();
    await redis.stop();
  });

  it('memberships one instance looked up serve another (two providers in different containers)', async () => {
    instances = await startFleet(2);
    emulator = instances[0]!.emulator;
    const user = overageUser(emulator);
    expect((await adminUsers(instances[0]!, user)).status).to.equal(200);
    expect(graphLookups(emulator)).to.equal(1);
    expect((await adminUsers(instances[1]!, user)).status).to.equal(200);
    expect(graphLookups(emulator)).to.equal(1);
  });

  it('concurrent first requests of a user on four instances make one Graph lookup, for each of several users', async () => {
    instances = await startFleet(4);
    emulator = instances[0]!.emulator;
    const users = [overageUser(emulator), overageUser(emulator), overageUser(emulator, false)];
    // Graph answers slowly, so that every instance asks while the first lookup is under way.
    emulator.setFault('graph', { kind: 'slow', delayMs: 300 }, { times: users.length });
    const responses = await Promise.all(
      users.flatMap((user) => instances.map(async (app) => ({ user, status: (await adminUsers(app, user)).status }))),
    );
    expect(responses.map(({ user, status }) => `${user.name}:${status}`)).to.deep.equal(
      users.flatMap((user, index) => instances.map(() => `${user.name}:${index < 2 ? 200 : 403}`)),
    );
    expect(graphLookups(emulator)).to.equal(users.length);
  });

  it("throttling is shared: a 429 on one instance backs off the tenant on all of them, for Graph's Retry-After", async () => {
    instances = await startFleet(2);
    emulator = instances[0]!.emulator;
    emulator.setFault('graph', { kind: 'status', status: 429, retryAfterSeconds: 30 }, { times: 1 });
    const throttled = await adminUsers(instances[0]!, overageUser(emulator));
    expect([throttled.status, throttled.headers['retry-after']]).to.deep.equal([503, '30']);
    const requestsBefore = emulator.requestCount('graph');
    const elsewhere = await adminUsers(instances[1]!, overageUser(emulator));
    expect(elsewhere.status).to.equal(503);
    expect(Number(elsewhere.headers['retry-after'])).to.be.within(1, 30);
    expect(emulator.requestCount('graph')).to.equal(requestsBefore);
  });

  it('a stored record that is not ours for this user (garbage, foreign, expired, oversized, of another type) is a miss: Graph decides', async () => {
    instances = await startFleet(1);
    emulator = instances[0]!.emulator;
    const { redisKeyPrefix } = instances[0]!.container.resolve(Settings);
    const tenant = emulator.tenants.primary.id;
    const now = instances[0]!.clock.now();
    // Each record claims, for a user who is not an administrator, that they are one.
    const forged = (user: EmulatorUser, fields: Record<string, unknown> = {}) =>
      JSON.stringify({
        v: 1,
        tid: tenant,
        oid: user.oid,
        groups: [emulator.groups.administrators],
        expiresAt: now + 600_000,
        ...fields,
      });
    const records: Array<(user: EmulatorUser) => string | 'list'> = [
      () => 'not json',
      () => '["an array"]',
      (user) => forged(user, { oid: emulator.users.administrator.oid }),
      (user) => forged(user, { tid: emulator.tenants.secondary.id }),
      (user) => forged(user, { groups: ['Administrators'] }),
      (user) => forged(user, { groups: [emulator.groups.administrators.toUpperCase()] }),
      (user) => forged(user, { expiresAt: now - 1 }),
      (user) => forged(user, { expiresAt: 'never' }),
      (user) => forged(user, { v: 2 }),
      () => 'x'.repeat(2 * 1024 * 1024),
      () => 'list',
    ];
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      for (const [index, record] of records.entries()) {
        const user = overageUser(emulator, false);
        const key = `${redisKeyPrefix}graph:groups:${tenant}/${user.oid}`;
        const value = record(user);
        if (value === 'list') await raw.lPush(key, forged(user));
        else await raw.set(key, value);
        expect((await adminUsers(instances[0]!, user)).status, `record ${index}`).to.equal(403);
      }
    } finally {
      await raw.close();
    }
    expect(graphLookups(emulator)).to.equal(records.length);
  });

  it("a record is believed for GROUPS_CACHE_TTL at most, whatever expiry it states (its writer's clock an hour ahead)", async () => {
    instances = await startFleet(1, 1);
    emulator = instances[0]!.emulator;
    const { redisKeyPrefix } = instances[0]!.container.resolve(Settings);
    const tenant = emulator.tenants.primary.id;
    const clock = instances[0]!.clock;
    const user = overageUser(emulator, false);
    // What an instance whose clock runs an hour ahead writes: Redis's own expiry is the TTL.
    const record = JSON.stringify({
      v: 1,
      tid: tenant,
      oid: user.oid,
      groups: [emulator.groups.administrators],
      expiresAt: clock.now() + 3_600_000,
    });
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.set(`${redisKeyPrefix}graph:groups:${tenant}/${user.oid}`, record, { PX: 1000 });
    } finally {
      await raw.close();
    }
    expect((await adminUsers(instances[0]!, user)).status).to.equal(200);
    expect(graphLookups(emulator)).to.equal(0);
    await eventually(async () => {
      const check = createClient({ url: redis.url });
      await check.connect();
      const left = await check.exists(`${redisKeyPrefix}graph:groups:${tenant}/${user.oid}`);
      await check.close();
      return left === 0;
    }, "Redis's own expiry of the record");
    clock.advance(2000);
    expect((await adminUsers(instances[0]!, user)).status).to.equal(403);
    expect(graphLookups(emulator)).to.equal(1);
  });

  it('Redis killed mid-run: every instance answers as before, looking up on its own; restarted, the fleet shares again', async () => {
    instances = await startFleet(2);
    emulator = instances[0]!.emulator;
    const known = overageUser(emulator);
    expect((await adminUsers(instances[0]!, known)).status).to.equal(200);
    await redis.kill();
    const newcomer = overageUser(emulator);
    const answers = await Promise.all([
      adminUsers(instances[0]!, known),
      adminUsers(instances[1]!, known),
      adminUsers(instances[0]!, newcomer),
      adminUsers(instances[1]!, newcomer),
    ]);
    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200]);
    // The known user's memberships were in instance 0's own cache; the rest each looked up alone.
    expect(graphLookups(emulator)).to.equal(4);

    await redis.restart();
    for (const app of instances) {
      const store = app.container.resolve(SharedStore);
      await eventually(() => store.health().state === 'available', 'the reconnection');
    }
    const afterRestart = overageUser(emulator);
    expect((await adminUsers(instances[0]!, afterRestart)).status).to.equal(200);
    expect((await adminUsers(instances[1]!, afterRestart)).status).to.equal(200);
    expect(graphLookups(emulator)).to.equal(5);
  });
});

describe('GraphGroupsProvider on a shared store, across processes', function () {
  this.timeout(30000);
  if (!requireRedisServer('the cross-process Graph test')) return;

  it('two processes share memberships, and concurrent first requests on both make one lookup', async () => {
    const redis = await startRedisServer();
    const emulator = await EntraEmulator.start();
    const processes = await Promise.all([
      startFleetInstance({ emulatorUrl: emulator.baseUrl, redisUrl: redis.url, storeTimeoutMs: TEST_STORE_TIMEOUT_MS }),
      startFleetInstance({ emulatorUrl: emulator.baseUrl, redisUrl: redis.url, storeTimeoutMs: TEST_STORE_TIMEOUT_MS }),
    ]);
    try {
      const request = (index: number, user: EmulatorUser) =>
        get(`${processes[index]!.url}/admin/users`, bearer(emulator.mintAccessToken({ user })));
      const first = overageUser(emulator);
      expect((await request(0, first)).status).to.equal(200);
      expect((await request(1, first)).status).to.equal(200);
      expect(graphLookups(emulator)).to.equal(1);

      const second = overageUser(emulator);
      emulator.setFault('graph', { kind: 'slow', delayMs: 300 }, { times: 1 });
      expect((await Promise.all([request(0, second), request(1, second)])).map((r) => r.status)).to.deep.equal([
        200, 200,
      ]);
      expect(graphLookups(emulator)).to.equal(2);
    } finally {
      await Promise.all(processes.map((child) => child.stop()));
      await emulator.close();
      await redis.stop();
    }
  });
});
