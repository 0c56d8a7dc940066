import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';

const FIRST_DELAY_SECONDS = 1;
const MAX_DELAY_SECONDS = 30;
/** A `Retry-After` past this is read as a mistake, not obeyed for hours. */
const MAX_RETRY_AFTER_SECONDS = 3600;

interface TenantState {
  blockedUntil: number;
  nextDelaySeconds: number;
}

/** Bounds what failing tenants and users can make the back-off hold. */
const MAX_TRACKED = 10_000;

/**
 * When Graph may be asked again, per tenant (Graph throttles per tenant and app), or per user for
 * failures of one user's lookup. A throttled
 * answer blocks for its `Retry-After`; other failures back off from 1 s doubling to 30 s, so a
 * Graph outage costs one call per tenant per back-off step, not one per request.
 */
export class GraphBackoff {
  private readonly tenants = new LRUCache<string, TenantState>({ max: MAX_TRACKED });

  constructor(private readonly clock: Clock) {}

  /** Seconds until Graph may be called for this tenant (or tenant/user key); 0 when it may be called now. */
  waitSeconds(tenantId: string): number {
    const state = this.tenants.get(tenantId);
    if (!state) return 0;
    return Math.max(0, (state.blockedUntil - this.clock.now()) / 1000);
  }

  /** Records a failure and returns the seconds until the next attempt. */
  failed(tenantId: string, retryAfterSeconds: number | undefined): number {
    const state = this.tenants.get(tenantId) ?? { blockedUntil: 0, nextDelaySeconds: FIRST_DELAY_SECONDS };
    const delay =
      retryAfterSeconds !== undefined
        ? Math.min(Math.max(retryAfterSeconds, FIRST_DELAY_SECONDS), MAX_RETRY_AFTER_SECONDS)
        : state.nextDelaySeconds;
    state.blockedUntil = this.clock.now() + delay * 1000;
    state.nextDelaySeconds = Math.min(state.nextDelaySeconds * 2, MAX_DELAY_SECONDS);
    this.tenants.set(tenantId, state);
    return delay;
  }

  succeeded(tenantId: string): void {
    this.tenants.delete(tenantId);
  }
}
