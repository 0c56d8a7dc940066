import { randomUUID } from 'node:crypto';
import type { SharedStore } from './shared-store';

/** An instance waiting for another's lookup looks for its result after 10 ms, then less often, at least every 100 ms. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

export interface FleetFlight<T> {
  /** The result in the store, if some instance has written it (`undefined`: not yet, or unusable). */
  read(): Promise<T | undefined>;
  /** Throws when the fleet must not look up now (a back-off another instance recorded). */
  check(): Promise<void>;
  /** Looks it up and writes the result to the store before it settles, so that waiters find it. */
  lookup(): Promise<T>;
}

/**
 * One lookup for the whole fleet (docs/design.md, F2): the instance that takes the lock looks up,
 * the others wait for its result in the store. The lock expires after `lockTtlMs`, the longest a
 * lookup may take; a waiter waits at most `maxWaitMs` (a lock left by a crashed holder, or foreign
 * data, must not hold requests for the lock's whole life), and falls back to a lookup of its own
 * then, or when the store cannot answer. Waiting uses real time: it bounds I/O (D13).
 */
export class FleetSingleFlight {
  constructor(
    private readonly store: SharedStore,
    private readonly lockTtlMs: number,
    private readonly maxWaitMs: number,
  ) {}

  async run<T>(lockKey: string, flight: FleetFlight<T>): Promise<T> {
    // Both at once: a request waits on the store for one round trip here, not two.
    const checked = flight.check();
    checked.catch(() => undefined);
    const stored = await flight.read();
    if (stored !== undefined) return stored;
    await checked;
    const owner = randomUUID();
    const giveUpAt = Date.now() + this.maxWaitMs;
    for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(pollMs * 2, MAX_POLL_MS)) {
      const lock = await this.store.acquireLock(lockKey, owner, this.lockTtlMs);
      if (lock === 'unavailable') return flight.lookup();
      if (lock === 'acquired') {
        try {
          // Another instance may have finished between the first read and the lock.
          return (await flight.read()) ?? (await flight.lookup());
        } finally {
          // Sent after the result's write on the same connection, so waiters find the result first.
          // A store of the app's own that rejects (never, by contract) must not end the process.
          this.store.releaseLock(lockKey, owner).catch(() => undefined);
        }
      }
      await sleep(pollMs);
      const result = await flight.read();
      if (result !== undefined) return result;
      // The holder failed and recorded a back-off: the same answer here, without a call of our own.
      await flight.check();
      if (Date.now() >= giveUpAt) return flight.lookup();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
