import type { Clock } from '../clock';
import type { Logger } from '../telemetry/logger';
import type { SharedStoreHealth, StoreFailure } from './shared-store';

/** A connection that is up but keeps failing (a stalled or overloaded Redis) counts as down after this many failures in a row. */
const FAILURES_BEFORE_UNAVAILABLE = 3;

/**
 * The Redis store's state as operators see it (`health()`), and what it tells the Logger: a
 * warning when the store becomes unavailable (code `ENTRA_AUTH_STORE_UNAVAILABLE`, a process
 * warning with the default logger), an info entry when it is back (`ENTRA_AUTH_STORE_RECOVERED`).
 * Entries carry failure codes and durations only.
 */
export class StoreHealth {
  private state: SharedStoreHealth['state'] = 'unavailable';
  private since: number;
  private failures = 0;
  private consecutiveFailures = 0;
  private lastFailure: StoreFailure | undefined;
  private reconnections = 0;
  private everConnected = false;
  private warnedUnavailable = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.since = clock.now();
  }

  /** The connection is ready (again). */
  connected(): void {
    if (this.everConnected && this.state === 'unavailable') this.reconnections++;
    this.everConnected = true;
    this.consecutiveFailures = 0;
    this.become('available');
  }

  /** The connection is lost, or could not be made (`auth_failed`: Redis refused the credentials). */
  disconnected(failure: 'offline' | 'auth_failed' = 'offline'): void {
    this.become('unavailable', failure);
  }

  get available(): boolean {
    return this.state === 'available';
  }

  /** An operation failed or timed out; it was answered as a miss. */
  failed(failure: StoreFailure): void {
    this.failures++;
    this.lastFailure = failure;
    // Redis answered (with an error about the data): the connection itself is fine.
    if (failure === 'refused') return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= FAILURES_BEFORE_UNAVAILABLE) this.become('unavailable', failure);
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    if (this.everConnected) this.become('available');
  }

  report(): SharedStoreHealth {
    return {
      kind: 'redis',
      state: this.state,
      since: new Date(this.since).toISOString(),
      failures: this.failures,
      lastFailure: this.lastFailure,
      reconnections: this.reconnections,
    };
  }

  private become(state: SharedStoreHealth['state'], failure?: StoreFailure): void {
    if (failure !== undefined) this.lastFailure = failure;
    if (state === this.state) {
      if (state === 'unavailable') this.warnUnavailable();
      return;
    }
    const seconds = Math.round((this.clock.now() - this.since) / 1000);
    this.state = state;
    this.since = this.clock.now();
    if (state === 'unavailable') {
      this.warnUnavailable();
    } else if (this.warnedUnavailable) {
      this.warnedUnavailable = false;
      this.logger.info(`The shared store (Redis) is available again, after ${seconds} s`, {
        code: 'ENTRA_AUTH_STORE_RECOVERED',
        unavailableSeconds: seconds,
      });
    }
  }

  /** Once per outage: requests go on with what the process holds, so one line says it all. */
  private warnUnavailable(): void {
    if (this.warnedUnavailable) return;
    this.warnedUnavailable = true;
    this.logger.warn(
      `The shared store (Redis) is unavailable (${this.lastFailure ?? 'offline'}): each instance uses what it ` +
        'holds (memberships looked up alone, the revocations last received) until it is back',
      { code: 'ENTRA_AUTH_STORE_UNAVAILABLE', reason: this.lastFailure ?? 'offline' },
    );
  }
}
