import { expect } from 'chai';
import { createClient } from 'redis';
import { RedisSharedStore, type SharedStore } from '../../../src';
import { ManualClock } from '../../../src/testing';
import { eventually } from '../../support/eventually';
import { recordingLogger } from '../../support/recording-logger';
import {
  TEST_STORE_TIMEOUT_MS,
  redisSettings,
  requireRedisServer,
  startRedisServer,
  type RedisServer,
} from '../../support/redis-server';

/**
 * Every operation a request may wait on, with the answer it gives when the store cannot help.
 * (`readLog` is not one: it reads a whole log after a reconnection, in the background.)
 */
async function requestOperations(store: SharedStore): Promise<unknown[]> {
  return Promise.all([
    store.get('k'),
    store.set('k', 'v', 60_000),
    store.acquireLock('lock', 'owner', 60_000),
    store.appendToLog('log', 'entry', Date.now() + 60_000),
    store.publish('channel', 'message'),
  ]);
}
const ALL_MISSES = [undefined, false, 'unavailable', false, false];

/** A Redis whose default user needs a password, with an ACL user `app` (password `app-secret`) holding `permissions`. */
function redisWithUser(permissions: readonly string[]): Promise<RedisServer> {
  return startRedisServer(['--requirepass', 'default-secret', '--user', 'app', 'on', '>app-secret', ...permissions]);
}

describe('RedisSharedStore: Redis down, slow, restarting or holding foreign data never fails an operation (docs/design.md, F4)', function () {
  this.timeout(30000);
  if (!requireRedisServer('the RedisSharedStore resilience suite')) return;
  let redis: RedisServer;
  let store: RedisSharedStore;
  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await store?.close();
    await redis.stop();
  });

  const open = async (storeTimeoutMs = TEST_STORE_TIMEOUT_MS): Promise<RedisSharedStore> => {
    store = new RedisSharedStore(redisSettings(redis.url, { storeTimeoutMs }), new ManualClock(Date.now()));
    await eventually(() => store.health().state === 'available', 'the first connection');
    return store;
  };

  it('starts while Redis is down: every operation is a miss at once, and it connects by itself once Redis is up', async () => {
    await redis.kill();
    store = new RedisSharedStore(redisSettings(redis.url), new ManualClock(Date.now()));
    expect(await requestOperations(store)).to.deep.equal(ALL_MISSES);
    expect(await store.readLog('log')).to.equal(undefined);
    await eventually(() => store.health().lastFailure === 'offline');
    expect(store.health().state).to.equal('unavailable');
    await redis.restart();
    await eventually(() => store.health().state === 'available', 'the connection after Redis started');
    expect(await store.set('k', 'v', 60_000)).to.equal(true);
    expect(await store.get('k')).to.equal('v');
  });

  it('killed mid-run and restarted: misses during the outage, then it recovers and its subscribers read the state again', async () => {
    await open();
    let resyncs = 0;
    const received: string[] = [];
    store.subscribe('channel', { message: (message) => received.push(message), resync: () => resyncs++ });
    await eventually(() => resyncs === 1, 'the first resync');

    await redis.kill();
    expect(await requestOperations(store)).to.deep.equal(ALL_MISSES);
    await eventually(() => store.health().state === 'unavailable');

    await redis.restart();
    await eventually(() => store.health().state === 'available', 'the reconnection');
    await eventually(() => resyncs === 2, 'the resync after reconnecting');
    expect(store.health().reconnections).to.equal(1);
    expect(await store.publish('channel', 'after')).to.equal(true);
    await eventually(() => received.includes('after'), 'a message after the restart');
  });

  it('a Redis that holds the connection and answers nothing (paused): each operation is a miss while Redis is still paused', async () => {
    await open(50);
    await store.set('k', 'v', 60_000);
    redis.pause();
    try {
      // Each answer arrives while Redis still answers nothing: no request waits on it past the timeout.
      expect(await requestOperations(store)).to.deep.equal(ALL_MISSES);
      expect(store.health()).to.include({ state: 'unavailable', lastFailure: 'timeout' });
    } finally {
      redis.resume();
    }
    await eventually(async () => (await store.get('k')) === 'v', 'answers once Redis is back');
    expect(store.health().state).to.equal('available');
  });

  it('while it is unavailable, operations are misses without being sent, but for one probe a second (D88)', async () => {
    await open(50);
    redis.pause();
    try {
      await requestOperations(store);
      await eventually(() => store.health().state === 'unavailable');
      const before = store.health().failures;
      // Twenty operations at once, as a burst of requests would make: only the probe meets the stall.
      const answers = await Promise.all(Array.from({ length: 4 }, () => requestOperations(store)));
      expect(answers.flat()).to.deep.equal(Array.from({ length: 4 }, () => ALL_MISSES).flat());
      expect(store.health().failures - before).to.be.at.most(1);
    } finally {
      redis.resume();
    }
    await eventually(async () => (await store.set('k', 'v', 60_000)) === true, 'the probe finds Redis back');
    expect(store.health().state).to.equal('available');
  });

  it('authenticates as the ACL user of the URL, with the password in the URL or apart; refused credentials are auth_failed (D87)', async () => {
    // The README's ACL: the prefix's keys and channels (redisSettings prefixes with test-…), the store's commands.
    const acl = await redisWithUser([
      '~test-*',
      '&test-*',
      ...['getrange', 'set', 'eval', 'get', 'del', 'zadd', 'zremrangebyscore', 'zrangebyscore'].map(
        (command) => `+${command}`,
      ),
      ...['publish', 'subscribe', 'ping', 'hello', 'client', 'select'].map((command) => `+${command}`),
    ]);
    const opened: RedisSharedStore[] = [];
    const connect = (url: string, redisPassword?: string): RedisSharedStore => {
      const connected = new RedisSharedStore(
        redisSettings(url, redisPassword === undefined ? {} : { redisPassword }),
        new ManualClock(Date.now()),
      );
      opened.push(connected);
      return connected;
    };
    try {
      for (const connected of [
        connect(`redis://app:app-secret@127.0.0.1:${acl.port}`),
        connect(`redis://app@127.0.0.1:${acl.port}`, 'app-secret'),
      ]) {
        await eventually(() => connected.health().state === 'available', 'the ACL user connected');
        expect(await connected.set('k', 'v', 60_000)).to.equal(true);
        expect(await connected.get('k')).to.equal('v');
        expect(await connected.acquireLock('lock', 'me', 60_000)).to.equal('acquired');
        await connected.releaseLock('lock', 'me');
        expect(await connected.acquireLock('lock', 'other', 60_000)).to.equal('acquired');
        await connected.releaseLock('lock', 'other');
        expect(await connected.appendToLog('log', 'entry', Date.now() + 60_000)).to.equal(true);
        expect(await connected.readLog('log')).to.deep.equal(['entry']);
        expect(await connected.publish('channel', 'message')).to.equal(true);
        expect(connected.health().lastFailure).to.equal(undefined);
      }
      const refused = connect(`redis://app:wrong@127.0.0.1:${acl.port}`);
      await eventually(() => refused.health().lastFailure === 'auth_failed', 'the refused credentials');
      expect(refused.health().state).to.equal('unavailable');
    } finally {
      for (const connected of opened) await connected.close();
      await acl.stop();
    }
  });

  it('an ACL user without the channels (Redis 7 gives a new user none) is told once, with the permissions it needs', async () => {
    const acl = await redisWithUser(['~*', '+@all']);
    const { logger, entries } = recordingLogger();
    const refused = new RedisSharedStore(
      redisSettings(`redis://app:app-secret@127.0.0.1:${acl.port}`),
      new ManualClock(Date.now()),
      logger,
    );
    try {
      refused.subscribe('channel', { message: () => undefined, resync: () => undefined });
      expect(await refused.publish('channel', 'message')).to.equal(false);
      await eventually(() => entries.some((entry) => entry.fields?.code === 'ENTRA_AUTH_STORE_NO_PERMISSION'));
      const warnings = entries.filter((entry) => entry.fields?.code === 'ENTRA_AUTH_STORE_NO_PERMISSION');
      expect(warnings).to.have.length(1);
      expect(warnings[0]!.message).to.contain('&').and.not.contain('app-secret');
    } finally {
      await refused.close();
      await acl.stop();
    }
  });

  it('foreign data (a key of another type, an oversized value, a log that is not one) is a miss, and no outage', async () => {
    const settings = redisSettings(redis.url);
    store = new RedisSharedStore(settings, new ManualClock(Date.now()));
    await eventually(() => store.health().state === 'available');
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.lPush(`${settings.redisKeyPrefix}list`, 'x');
      await raw.set(`${settings.redisKeyPrefix}huge`, 'x'.repeat(2 * 1024 * 1024));
      await raw.set(`${settings.redisKeyPrefix}log`, 'not a sorted set');
      expect(await store.get('list')).to.equal(undefined);
      expect(await store.get('huge')).to.equal(undefined);
      expect(await store.readLog('log')).to.equal(undefined);
      expect(await store.acquireLock('list', 'owner', 1000)).to.equal('held');
      expect(store.health()).to.include({ state: 'available', lastFailure: 'refused' });
    } finally {
      await raw.close();
    }
  });

  it('keeps apps apart by key prefix', async () => {
    await open();
    const other = new RedisSharedStore(redisSettings(redis.url), new ManualClock(Date.now()));
    try {
      await eventually(() => other.health().state === 'available');
      await store.set('k', 'mine', 60_000);
      expect(await other.get('k')).to.equal(undefined);
    } finally {
      await other.close();
    }
  });
});
