/** Waits between attempts that keep failing: `firstMs` after the first failure, doubling, at most `maxMs`. */
export interface BackoffSteps {
  readonly firstMs: number;
  readonly maxMs: number;
}

/**
 * When a failing remote (the authority's key endpoints, Graph for a tenant or a user) may be
 * asked again: consecutive failures move the next attempt out step by step; a success clears it.
 * Times are the injected clock's milliseconds.
 */
export class Backoff {
  private failures = 0;
  private notBefore = 0;

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** No attempt before this time; 0 when one may be made now. */
  get nextAttemptAt(): number {
    return this.notBefore;
  }

  /**
   * Records a failure at `now` and returns the wait before the next attempt: `waitMs` when the
   * remote said how long (its `Retry-After`), else the next of `steps`.
   */
  failed(now: number, steps: BackoffSteps, waitMs?: number): number {
    this.failures++;
    const wait = waitMs ?? Math.min(steps.firstMs * 2 ** (this.failures - 1), steps.maxMs);
    this.notBefore = now + wait;
    return wait;
  }

  succeeded(): void {
    this.failures = 0;
    this.notBefore = 0;
  }
}
