import { LRUCache } from 'lru-cache';
import { Backoff, type BackoffSteps } from '../backoff';
import type { Clock } from '../clock';

const STEPS: BackoffSteps = { firstMs: 1000, maxMs: 30_000 };
/** A `Retry-After` past this is read as a mistake, not obeyed for hours. */
const MAX_RETRY_AFTER_SECONDS = 3600;

/** Bounds what failing tenants and users can make the back-off hold. */
const MAX_TRACKED = 10_000;

/**
 * When Graph may be asked again, per key: a tenant id (Graph throttles per tenant and app), or
 * `tenant/user` for failures of one user's lookup. A throttled answer blocks for its
 * `Retry-After`; other failures back off from 1 s doubling to 30 s, so a Graph outage costs one
 * call per tenant per back-off step, not one per request.
 */
export class GraphBackoff {
  private readonly backoffs = new LRUCache<string, Backoff>({ max: MAX_TRACKED });

  constructor(private readonly clock: Clock) {}

  /** Seconds until Graph may be called for this key; 0 when it may be called now. */
  waitSeconds(key: string): number {
    const backoff = this.backoffs.get(key);
    if (!backoff) return 0;
    return Math.max(0, (backoff.nextAttemptAt - this.clock.now()) / 1000);
  }

  /** Records a failure and returns the seconds until the next attempt. */
  failed(key: string, retryAfterSeconds: number | undefined): number {
    const backoff = this.backoffs.get(key) ?? new Backoff();
    const retryAfterMs =
      retryAfterSeconds === undefined
        ? undefined
        : Math.min(Math.max(retryAfterSeconds, STEPS.firstMs / 1000), MAX_RETRY_AFTER_SECONDS) * 1000;
    const waitMs = backoff.failed(this.clock.now(), STEPS, retryAfterMs);
    this.backoffs.set(key, backoff);
    return waitMs / 1000;
  }

  succeeded(key: string): void {
    this.backoffs.delete(key);
  }
}
