import { Backoff } from '../backoff';
import type { ScheduledTask } from '../clock';
import type { KeySet, KeySetFailure } from './key-set-fetcher';
import type { TokenVersion } from '../settings/settings';

/** One key set's state for operators: counts, times and reason codes, never a URL or a secret. */
export interface KeySetHealth {
  readonly version: TokenVersion;
  /**
   * `not_loaded`: never asked for; `fresh`: keys held, last fetch good; `stale`: keys held, the
   * last refresh failed; `unavailable`: no usable keys held (requests get 503);
   * `tenant_not_found`: no keys held because the authority does not know the configured tenant
   * (a configuration error: fix `TENANT_ID`; requests get 503).
   */
  readonly state: 'not_loaded' | 'fresh' | 'stale' | 'unavailable' | 'tenant_not_found';
  readonly keys: number;
  readonly ageSeconds: number | undefined;
  readonly lastSuccessAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  readonly lastError: KeySetFailure | undefined;
  readonly consecutiveFailures: number;
  readonly fetches: number;
  readonly failures: number;
  readonly unknownKidRequests: number;
}

/** Everything the key cache holds and counts for one token version of the configured tenant. */
export class KeySource {
  current: KeySet | undefined;
  refreshTask: ScheduledTask | undefined;
  lastUnknownKidRefetchAt: number | undefined;
  /** No fetch on a request's path or for an unknown kid before its next attempt time. */
  readonly backoff = new Backoff();
  fetches = 0;
  private failures = 0;
  private lastFailureAt: number | undefined;
  private lastError: KeySetFailure | undefined;
  private unknownKidRequests = 0;
  private unknownKidRequestsSinceEvent = 0;

  constructor(readonly version: TokenVersion) {}

  recordSuccess(keySet: KeySet): void {
    this.current = keySet;
    this.backoff.succeeded();
  }

  recordFailure(reason: KeySetFailure, now: number): void {
    this.failures++;
    this.lastFailureAt = now;
    this.lastError = reason;
  }

  countUnknownKidRequest(): void {
    this.unknownKidRequests++;
    this.unknownKidRequestsSinceEvent++;
  }

  /** The unknown-kid requests not yet reported in an event, resetting the count. */
  takeUnknownKidRequests(): number {
    this.unknownKidRequests++;
    const count = this.unknownKidRequestsSinceEvent;
    this.unknownKidRequestsSinceEvent = 0;
    return count;
  }

  health(held: KeySet | undefined, now: number): KeySetHealth {
    const { consecutiveFailures } = this.backoff;
    const everFailedOrExpired = consecutiveFailures > 0 || this.current !== undefined;
    const state = held
      ? consecutiveFailures > 0
        ? 'stale'
        : 'fresh'
      : !everFailedOrExpired
        ? 'not_loaded'
        : this.lastError === 'tenant_not_found' && consecutiveFailures > 0
          ? 'tenant_not_found'
          : 'unavailable';
    return {
      version: this.version,
      state,
      keys: held?.keys.size ?? 0,
      ageSeconds: held ? Math.floor((now - held.fetchedAt) / 1000) : undefined,
      lastSuccessAt: this.current ? new Date(this.current.fetchedAt).toISOString() : undefined,
      lastFailureAt: this.lastFailureAt === undefined ? undefined : new Date(this.lastFailureAt).toISOString(),
      lastError: this.lastError,
      consecutiveFailures,
      fetches: this.fetches,
      failures: this.failures,
      unknownKidRequests: this.unknownKidRequests,
    };
  }
}
