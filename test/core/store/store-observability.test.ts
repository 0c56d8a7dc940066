import { expect } from 'chai';
import { Logger, SharedStore } from '../../../src';
import { withApp } from '../../support/app';
import { eventually } from '../../support/eventually';
import { InMemoryTelemetry } from '../../support/in-memory-telemetry';
import { recordingLogger } from '../../support/recording-logger';
import { requireRedisServer, startRedisServer } from '../../support/redis-server';

describe('RedisSharedStore: an outage shows in health, in the gauge entra_auth.store.available and through the Logger (docs/design.md, F6)', function () {
  this.timeout(30000);
  if (!requireRedisServer('the store observability test')) return;

  it('reports 1, then 0 while Redis is down (one warning), then 1 again (one info entry)', async () => {
    const telemetry = InMemoryTelemetry.start();
    const redis = await startRedisServer();
    const { logger, entries } = recordingLogger();
    const app = await withApp({
      controllers: [],
      settings: { redisUrl: redis.url },
      configure: (container) => container.register(Logger, { useValue: logger }),
    });
    try {
      const store = app.container.resolve(SharedStore);
      const gauge = () => telemetry.value('entra_auth.store.available');
      await eventually(() => store.health().state === 'available');
      expect(await gauge()).to.equal(1);

      await redis.kill();
      await eventually(() => store.health().state === 'unavailable');
      expect(await gauge()).to.equal(0);
      await redis.restart();
      await eventually(() => store.health().state === 'available', 'the reconnection');
      expect(await gauge()).to.equal(1);

      const storeEntries = entries.filter(({ fields }) => String(fields?.code).startsWith('ENTRA_AUTH_STORE_'));
      expect(storeEntries.map(({ level, fields }) => [level, fields?.code])).to.deep.equal([
        ['warn', 'ENTRA_AUTH_STORE_UNAVAILABLE'],
        ['info', 'ENTRA_AUTH_STORE_RECOVERED'],
      ]);
      expect(JSON.stringify(storeEntries)).to.not.contain(redis.url);
    } finally {
      await app.close();
      await redis.stop();
      await telemetry.stop();
    }
  });
});
