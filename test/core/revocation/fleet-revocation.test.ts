import { expect } from 'chai';
import { createClient } from 'redis';
import {
  InvalidTokenException,
  RedisSharedStore,
  RevocationList,
  StoreUnavailableError,
  SystemClock,
  type EntraIdClaims,
  type Logger,
  type Settings,
} from '../../../src';
import { EntraEmulator } from '../../../src/testing';
import { eventually } from '../../support/eventually';
import { recordingLogger } from '../../support/recording-logger';
import { createProvider } from '../../support/harness';
import { startFleetInstance } from '../../support/fleet-instance';
import { bearer, get } from '../../support/http';
import {
  TEST_STORE_TIMEOUT_MS,
  redisSettings,
  requireRedisServer,
  startRedisServer,
  type RedisServer,
} from '../../support/redis-server';

const TENANT = '03871dfd-7277-41de-895d-62c1a1a953ea';
const USER = 'c451c118-4da4-47c3-9883-15bbef205e4b';
const OTHER_USER = '555804f9-2fa0-46b9-972c-a6d18730fc59';

/** The claims of a verified token of the user, issued `secondsAgo` ago. */
function claims(userId: string, secondsAgo = 10): EntraIdClaims {
  const iat = Math.floor(Date.now() / 1000) - secondsAgo;
  return { ver: '2.0', tid: TENANT, oid: userId, iat, nbf: iat, uti: 'AAAAAAAAAAAAAAAAAAAAAA' };
}

function isRefused(list: RevocationList, userId: string): boolean {
  try {
    list.assertNotRevoked(claims(userId));
    return false;
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidTokenException);
    return true;
  }
}

describe('RevocationList across a fleet on a real Redis: every instance refuses within a second (docs/design.md#revocation)', function () {
  this.timeout(30000);
  if (!requireRedisServer('the fleet revocation suite')) return;
  let redis: RedisServer;
  const opened: Array<{ list: RevocationList; store: RedisSharedStore }> = [];
  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const { list, store } of opened.splice(0)) {
      list.close();
      await store.close();
    }
    await redis.stop();
  });

  /** One instance's list, just started: its own store connection, as another process would have. */
  const startList = (settings: Settings, logger?: Logger): RevocationList => {
    const clock = new SystemClock();
    const store = new RedisSharedStore(settings, clock);
    const list = new RevocationList(settings, store, clock, logger);
    opened.push({ list, store });
    return list;
  };

  /** One instance, once it has read the list. */
  const instance = async (settings: Settings): Promise<RevocationList> => {
    const list = startList(settings);
    await eventually(() => list.health().lastSyncAt !== undefined, 'the first read of the list');
    return list;
  };

  it("a revocation on one instance is in force on another as soon as Redis's message arrives", async () => {
    const settings = redisSettings(redis.url);
    const [a, b] = [await instance(settings), await instance(settings)];
    expect(isRefused(b, USER)).to.equal(false);
    await a.revokeUser(TENANT, USER);
    expect(isRefused(a, USER)).to.equal(true);
    await eventually(() => isRefused(b, USER), 'the revocation on the other instance', 1000);
    expect(isRefused(b, OTHER_USER)).to.equal(false);
  });

  it('an instance that starts later reads the revocations in force, and ignores foreign entries in the log', async () => {
    const settings = redisSettings(redis.url);
    const a = await instance(settings);
    await a.revokeUser(TENANT, USER);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    const farFuture = Math.floor(Date.now() / 1000) + 24 * 3600;
    await raw.zAdd(`${settings.redisKeyPrefix}revocations`, [
      { score: Date.now() + 3_600_000, value: 'not a revocation' },
      { score: Date.now() + 3_600_000, value: `user:${TENANT}/${OTHER_USER}:${farFuture}` },
    ]);
    await raw.close();
    const late = await instance(settings);
    expect(isRefused(late, USER)).to.equal(true);
    expect(isRefused(late, OTHER_USER)).to.equal(false);
    expect(late.health().entries).to.equal(1);
  });

  it("a new instance's first validation waits for its first read of the log: a session revoked before it started is refused at once", async () => {
    const emulator = await EntraEmulator.start();
    try {
      const settings = redisSettings(redis.url, {
        tenantId: emulator.tenants.primary.id,
        audiences: [emulator.apiClientId],
        jwksUrlTemplate: emulator.jwksUrlTemplate,
      });
      const user = emulator.users.member;
      const token = emulator.mintAccessToken({ user });
      await (await instance(settings)).revokeUser(emulator.tenants.primary.id, user.oid);
      const list = startList(settings);
      const { provider, cache } = createProvider(emulator, new SystemClock(), {}, list);
      try {
        expect(list.firstRead, 'pending right after start').to.be.instanceOf(Promise);
        const refusal = await provider.verifyToken(token).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect((refusal as InvalidTokenException | undefined)?.reason).to.equal('session_revoked');
        expect(list.firstRead).to.equal(undefined);
      } finally {
        cache.close();
      }
    } finally {
      await emulator.close();
    }
  });

  it("applies a revocation dated ahead of this instance's clock (the revoker's clock runs ahead) up to an hour; further ahead is foreign data", async () => {
    const settings = redisSettings(redis.url, { leeway: 0 });
    const list = await instance(settings);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    const nowSeconds = Math.floor(Date.now() / 1000);
    await raw.publish(`${settings.redisKeyPrefix}revocations`, `user:${TENANT}/${USER}:${nowSeconds + 600}`);
    await raw.publish(`${settings.redisKeyPrefix}revocations`, `user:${TENANT}/${OTHER_USER}:${nowSeconds + 7200}`);
    await raw.close();
    await eventually(() => isRefused(list, USER), 'the revocation dated 10 minutes ahead', 1000);
    expect(isRefused(list, OTHER_USER)).to.equal(false);
  });

  it('started while Redis is down: its first validations wait at most 2 s, then go on, and the Logger says revocations were not read', async () => {
    const settings = redisSettings(redis.url);
    await redis.kill();
    const { logger, entries } = recordingLogger();
    const list = startList(settings, logger);
    expect(list.firstRead).to.be.instanceOf(Promise);
    await list.firstRead;
    expect(list.firstRead).to.equal(undefined);
    expect(entries.map((entry) => [entry.level, entry.fields?.code])).to.deep.include([
      'warn',
      'ENTRA_AUTH_REVOCATIONS_NOT_READ',
    ]);
    expect(isRefused(list, USER)).to.equal(false);
    await redis.restart();
    await eventually(() => list.health().lastSyncAt !== undefined, 'the read once Redis is back');
  });

  it('a second list on the same store connection reads the log too (two containers sharing one store)', async () => {
    const settings = redisSettings(redis.url);
    await (await instance(settings)).revokeUser(TENANT, USER);
    const clock = new SystemClock();
    const store = new RedisSharedStore(settings, clock);
    const first = new RevocationList(settings, store, clock);
    opened.push({ list: first, store });
    await eventually(() => first.health().lastSyncAt !== undefined, 'the first list read');
    const second = new RevocationList(settings, store, clock);
    try {
      await eventually(() => second.health().lastSyncAt !== undefined, 'the second list read', 1500);
      expect(isRefused(second, USER)).to.equal(true);
    } finally {
      second.close();
    }
  });

  it('warns once when Redis answers but the log under the prefix is no log (another app shares the prefix)', async () => {
    const settings = redisSettings(redis.url);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.set(`${settings.redisKeyPrefix}revocations`, 'a string, not a sorted set');
    await raw.close();
    const { logger, entries } = recordingLogger();
    const list = startList(settings, logger);
    await eventually(
      () => entries.some((entry) => entry.fields?.code === 'ENTRA_AUTH_REVOCATIONS_UNREADABLE'),
      'the warning',
      5000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const warnings = entries.filter((entry) => entry.fields?.code === 'ENTRA_AUTH_REVOCATIONS_UNREADABLE');
    expect(warnings.map((entry) => entry.level)).to.deep.equal(['warn']);
    expect(list.health().lastSyncAt).to.equal(undefined);
  });

  it('while Redis is down, each instance keeps the list it last received; a revocation then holds on its own instance and says so', async () => {
    const settings = redisSettings(redis.url);
    const [a, b] = [await instance(settings), await instance(settings)];
    await a.revokeUser(TENANT, USER);
    await eventually(() => isRefused(b, USER));
    await redis.kill();
    expect(isRefused(b, USER)).to.equal(true);
    let error: unknown;
    await a.revokeUser(TENANT, OTHER_USER).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).code).to.equal('store_unavailable');
    expect(isRefused(a, OTHER_USER)).to.equal(true);
    await redis.restart();
    // Retrying makes it fleet-wide once Redis is back.
    await eventually(async () => {
      try {
        await a.revokeUser(TENANT, OTHER_USER);
        return true;
      } catch {
        return false;
      }
    }, 'the retried revocation');
    await eventually(() => isRefused(b, OTHER_USER), 'the retried revocation on the other instance', 1000);
  });
});

describe('Session revocation across processes: another process refuses the token within one second, with a claims challenge for a cp1 client', function () {
  this.timeout(30000);
  if (!requireRedisServer('the cross-process revocation test')) return;

  it('refuses over HTTP in the other process within one second of the revocation', async () => {
    const redis = await startRedisServer();
    const emulator = await EntraEmulator.start();
    const child = await startFleetInstance({
      emulatorUrl: emulator.baseUrl,
      redisUrl: redis.url,
      storeTimeoutMs: TEST_STORE_TIMEOUT_MS,
    });
    const settings = redisSettings(redis.url, { redisKeyPrefix: 'entra-auth:' });
    const clock = new SystemClock();
    const store = new RedisSharedStore(settings, clock);
    const list = new RevocationList(settings, store, clock);
    try {
      const plain = emulator.mintAccessToken();
      const cae = emulator.mintAccessToken({ clientCapabilities: ['cp1'] });
      expect((await get(`${child.url}/hello`, bearer(plain))).status).to.equal(200);
      expect((await get(`${child.url}/hello`, bearer(cae))).status).to.equal(200);
      await eventually(() => list.health().lastSyncAt !== undefined);

      const { notBefore } = await list.revokeUser(TENANT, USER);
      await eventually(
        async () => (await get(`${child.url}/hello`, bearer(plain))).status === 401,
        'the refusal in the other process',
        1000,
      );

      const refused = await get(`${child.url}/hello`, bearer(plain));
      expect(refused.json).to.deep.include({ error: 'invalid_token', reason: 'session_revoked' });
      const challenged = await get(`${child.url}/hello`, bearer(cae));
      expect(challenged.status).to.equal(401);
      expect(challenged.json).to.deep.include({ error: 'insufficient_claims', reason: 'session_revoked' });
      const header = challenged.headers['www-authenticate'] as string;
      const claims = /claims="([^"]+)"/.exec(header)![1]!;
      expect(JSON.parse(Buffer.from(claims, 'base64').toString())).to.deep.equal({
        access_token: { nbf: { essential: true, value: String(notBefore) } },
      });
      expect(header).to.contain(`error="insufficient_claims"`).and.contain(`realm="${TENANT}"`);
    } finally {
      list.close();
      await store.close();
      await child.stop();
      await emulator.close();
      await redis.stop();
    }
  });
});
