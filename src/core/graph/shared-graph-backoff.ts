import type { Clock } from '../clock';
import type { SharedStore } from '../store/shared-store';

/** The longest back-off believed from the store, as for a `Retry-After` (D38): more is foreign data. */
const MAX_WAIT_MS = 3600 * 1000;

/**
 * The Graph back-off of the fleet, per tenant (throttling, outages) or per user: an instance that
 * is throttled or fails records until when Graph must not be asked, and every instance honours it
 * (docs/design.md, F3), so the fleet backs off together instead of N times over.
 */
export class SharedGraphBackoff {
  constructor(
    private readonly store: SharedStore,
    private readonly clock: Clock,
  ) {}

  /** Seconds until Graph may be asked for any of these keys by what the fleet recorded; 0 when it may be now. */
  async waitSeconds(keys: readonly string[]): Promise<number> {
    const now = this.clock.now();
    const values = await Promise.all(keys.map((key) => this.store.get(backoffKey(key))));
    const waits = values.map((value) => {
      const until = value === undefined || !/^\d{1,15}$/.test(value) ? 0 : Number(value);
      return until > now && until - now <= MAX_WAIT_MS ? (until - now) / 1000 : 0;
    });
    return Math.max(0, ...waits);
  }

  /** Records the wait; it expires in the store when it is over, so a success needs no write. */
  async failed(key: string, waitSeconds: number): Promise<void> {
    const waitMs = Math.ceil(waitSeconds * 1000);
    await this.store.set(backoffKey(key), String(this.clock.now() + waitMs), waitMs);
  }
}

function backoffKey(key: string): string {
  return `graph:backoff:${key}`;
}
