import { expect } from 'chai';
import { FleetSingleFlight } from '../../../src/core/store/fleet-single-flight';
import { InMemorySharedStore } from '../../../src';
import { ManualClock } from '../../../src/testing';

describe('FleetSingleFlight: one lookup for the fleet, and a waiter never held past its bound (docs/design.md, F2, D88)', () => {
  it('a lock nobody releases (a crashed holder, foreign data) holds a waiter for maxWaitMs, not for the lock’s life: then it looks up itself', async () => {
    const store = new InMemorySharedStore(new ManualClock(Date.now()));
    // The lock lives a minute on the store's clock, which never moves here: only the wait bound ends the wait.
    expect(await store.acquireLock('lock', 'a crashed holder', 60_000)).to.equal('acquired');
    const flights = new FleetSingleFlight(store, 60_000, 50);
    let lookups = 0;
    const result = await flights.run('lock', {
      read: async () => undefined,
      check: async () => undefined,
      lookup: async () => {
        lookups++;
        return 'own lookup';
      },
    });
    expect([result, lookups]).to.deep.equal(['own lookup', 1]);
  });

  it('a store of the app’s own whose release rejects (the contract says never) ends neither the flight nor the process', async () => {
    const inner = new InMemorySharedStore(new ManualClock(Date.now()));
    const rejecting = Object.assign(Object.create(inner) as InMemorySharedStore, {
      releaseLock: async () => {
        throw new Error('a broken store');
      },
    });
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', record);
    try {
      const flights = new FleetSingleFlight(rejecting, 60_000, 50);
      const result = await flights.run('lock', {
        read: async () => undefined,
        check: async () => undefined,
        lookup: async () => 'looked up',
      });
      expect(result).to.equal('looked up');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('a stored result is the answer, even while a back-off is recorded; without one the back-off is', async () => {
    const store = new InMemorySharedStore(new ManualClock(Date.now()));
    const flights = new FleetSingleFlight(store, 60_000, 50);
    const backedOff = async (): Promise<void> => {
      throw new Error('backed off');
    };
    const lookup = async (): Promise<string> => expect.fail('no lookup');
    expect(await flights.run('lock', { read: async () => 'stored', check: backedOff, lookup })).to.equal('stored');
    const refused = await flights.run('lock', { read: async () => undefined, check: backedOff, lookup }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect(refused).to.equal('backed off');
  });
});
