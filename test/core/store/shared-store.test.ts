import { expect } from 'chai';
import { InMemorySharedStore, MAX_STORE_VALUE_BYTES, RedisSharedStore, type SharedStore } from '../../../src';
import { ManualClock } from '../../../src/testing';
import { eventually } from '../../support/eventually';
import { redisSettings, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server';

/** What every SharedStore promises (docs/design.md#fleet, F1), whichever holds the data. */
function contract(name: string, open: (clock: ManualClock) => Promise<{ store: SharedStore; close(): Promise<void> }>) {
  describe(`SharedStore contract: ${name}`, () => {
    let clock: ManualClock;
    let store: SharedStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      // The Redis store reads the clock for log expiry, and Redis itself expires in real time.
      clock = new ManualClock(Date.now());
      ({ store, close } = await open(clock));
    });
    afterEach(() => close());

    it('reads back a value it holds, and nothing for a key it does not', async () => {
      expect(await store.set('k', 'value', 60_000)).to.equal(true);
      expect(await store.get('k')).to.equal('value');
      expect(await store.get('absent')).to.equal(undefined);
    });

    it('neither writes nor reads a value over its size bound', async () => {
      expect(await store.set('big', 'x'.repeat(MAX_STORE_VALUE_BYTES + 1), 60_000)).to.equal(false);
      expect(await store.get('big')).to.equal(undefined);
    });

    it('gives a lock to one owner at a time, released only by that owner', async () => {
      expect(await store.acquireLock('lock', 'a', 60_000)).to.equal('acquired');
      expect(await store.acquireLock('lock', 'b', 60_000)).to.equal('held');
      await store.releaseLock('lock', 'b');
      expect(await store.acquireLock('lock', 'b', 60_000)).to.equal('held');
      await store.releaseLock('lock', 'a');
      expect(await store.acquireLock('lock', 'b', 60_000)).to.equal('acquired');
    });

    it('keeps log entries until their expiry, an entry added twice once', async () => {
      const now = clock.now();
      expect(await store.appendToLog('log', 'first', now + 10_000)).to.equal(true);
      expect(await store.appendToLog('log', 'second', now + 20_000)).to.equal(true);
      expect(await store.appendToLog('log', 'first', now + 30_000)).to.equal(true);
      expect((await store.readLog('log'))!.sort()).to.deep.equal(['first', 'second']);
      clock.advance(25_000);
      expect(await store.readLog('log')).to.deep.equal(['first']);
      expect(await store.readLog('empty')).to.deep.equal([]);
    });

    it('asks a subscriber to read the state when it subscribes, then delivers what is published', async () => {
      const received: string[] = [];
      let resyncs = 0;
      const subscription = store.subscribe('channel', {
        message: (message) => received.push(message),
        resync: () => resyncs++,
      });
      await eventually(() => resyncs === 1);
      expect(await store.publish('channel', 'hello')).to.equal(true);
      await eventually(() => received.length === 1);
      expect(received).to.deep.equal(['hello']);
      subscription.close();
    });

    it('reports its health without keys or values', async () => {
      await store.set('k', 'secret-value', 60_000);
      const health = store.health();
      expect(health.state).to.equal('available');
      expect(JSON.stringify(health)).to.not.contain('secret-value');
    });
  });
}

contract('InMemorySharedStore (no REDIS_URL: this process only)', async (clock) => {
  const store = new InMemorySharedStore(clock);
  return { store, close: () => store.close() };
});

describe('SharedStore contract: RedisSharedStore against a real redis-server', () => {
  if (!requireRedisServer('the RedisSharedStore contract')) return;
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(() => redis.stop());

  contract('RedisSharedStore', async (clock) => {
    const store = new RedisSharedStore(redisSettings(redis.url), clock);
    await eventually(() => store.health().state === 'available');
    return { store, close: () => store.close() };
  });
});
