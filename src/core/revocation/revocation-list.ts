import { inject, injectable } from 'tsyringe';
import { Clock, type ScheduledTask } from '../clock';
import type { EntraIdClaims } from '../token/claims';
import { Settings } from '../settings/settings';
import { Logger } from '../telemetry/logger';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { SharedStore, type StoreSubscription } from '../store/shared-store';
import { StoreUnavailableError } from '../store/store-unavailable-error';
import { decodeRevocation, encodeRevocation, tokenRevocation, userRevocation, type Revocation } from './revocation';
import { retentionEnd } from './revocation-retention';
import { RevokedSessions } from './revoked-sessions';
import { sessionRevoked } from './session-revoked';

/** The store's log of revocations in force, and the channel that announces each new one. */
export const REVOCATIONS_LOG = 'revocations';
export const REVOCATIONS_CHANNEL = 'revocations';
/** A whole-list read that failed (Redis slow right after reconnecting) is tried again this much later. */
const RESYNC_RETRY_MS = 1000;
/**
 * How long after the list is made requests wait for the first read of the shared log: an instance
 * that has not read it yet would accept every session revoked before it started. Past this (Redis
 * unreachable at start) requests go on, and the Logger says so once.
 */
const FIRST_READ_WAIT_MS = 2000;
/**
 * A revocation is applied as dated even when it is ahead of this clock (the revoking instance's
 * clock runs ahead): refusing a little more for the skew is safe, dropping it is not. One dated
 * further ahead would lock a user out for as long as it says: foreign data, ignored.
 */
const MAX_AHEAD_MS = 3600 * 1000;

/** The revocation list's state for operators. */
export interface RevocationListHealth {
  /** Revocations in force in this process. */
  readonly entries: number;
  /** When the list was last read whole from the store (ISO 8601); `undefined` before the first read. */
  readonly lastSyncAt: string | undefined;
}

/**
 * Session revocation across the fleet (docs/design.md#revocation). `revokeUser` refuses the
 * user's tokens issued before a time, `revokeToken` one token; every instance sharing the store
 * refuses them within a second (the store's broadcast fans out into each process's memory), and
 * without Redis the list works within the process. The per-request check
 * ({@link assertNotRevoked}) is a map lookup, and never waits on the store: while the store is
 * unavailable the list last received stays in force, and it is read whole again on reconnection.
 *
 * Entries are forgotten once no token they refuse can still be valid: 28 hours (Entra's longest
 * access-token lifetime) plus `LEEWAY` after their `notBefore`.
 */
@injectable()
export class RevocationList {
  private readonly sessions = new RevokedSessions();
  private readonly subscription: StoreSubscription;
  private resyncRetry: ScheduledTask | undefined;
  private closed = false;
  private lastSyncAt: number | undefined;
  private pendingFirstRead: Promise<void> | undefined;
  private endFirstRead: (() => void) | undefined;
  private warnedUnreadable = false;

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(SharedStore) private readonly store: SharedStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger = new ProcessWarningLogger(),
  ) {
    if (store.shared) this.waitForFirstRead();
    this.subscription = store.subscribe(REVOCATIONS_CHANNEL, {
      message: (message) => this.receive(message),
      resync: () => void this.resync(),
    });
  }

  /**
   * Refuses the user's tokens issued before `at` (default now; never later), on every instance.
   * Tokens issued within the second of `at` are refused too: `iat` counts whole seconds. Rejects
   * with {@link StoreUnavailableError} when the store could not take it: it is then in force on
   * this instance only, and retrying makes it fleet-wide.
   */
  async revokeUser(tenantId: string, userId: string, at: Date = new Date(this.clock.now())): Promise<Revocation> {
    const atMs = at.getTime();
    if (!Number.isFinite(atMs) || atMs > this.clock.now())
      throw new RangeError('at must be a valid time, not in the future');
    return this.revoke(userRevocation(tenantId, userId, Math.floor(atMs / 1000) + 1));
  }

  /** Refuses one token, by its `uti` claim, on every instance; rejects as {@link revokeUser} does. */
  async revokeToken(uti: string): Promise<Revocation> {
    return this.revoke(tokenRevocation(uti, Math.floor(this.clock.now() / 1000) + 1));
  }

  /**
   * Throws the `session_revoked` refusal (a claims challenge for a client that declared the CAE
   * capability, else `invalid_token`) when a revocation refuses this verified token.
   */
  assertNotRevoked(claims: EntraIdClaims): void {
    const notBefore = this.sessions.refusing(claims);
    if (notBefore !== undefined) throw sessionRevoked(claims, notBefore, this.settings);
  }

  /**
   * Pending until the shared log is first read (at most {@link FIRST_READ_WAIT_MS}), then
   * `undefined`: what validations wait for before an instance's first answers.
   */
  get firstRead(): Promise<void> | undefined {
    return this.pendingFirstRead;
  }

  health(): RevocationListHealth {
    return {
      entries: this.sessions.size,
      lastSyncAt: this.lastSyncAt === undefined ? undefined : new Date(this.lastSyncAt).toISOString(),
    };
  }

  /** Stops listening; the store is closed by its owner. */
  close(): void {
    this.closed = true;
    this.subscription.close();
    this.resyncRetry?.cancel();
    this.endFirstRead?.();
  }

  private waitForFirstRead(): void {
    this.pendingFirstRead = new Promise((resolve) => {
      // Real time: it bounds I/O (D13), whatever clock the app injected.
      const timer = setTimeout(() => {
        this.logger.warn(
          `The revocation log could not be read from the shared store within ${FIRST_READ_WAIT_MS / 1000} s of starting ` +
            '(see SharedStore.health()): sessions revoked before this instance started are accepted here until it is read',
          { code: 'ENTRA_AUTH_REVOCATIONS_NOT_READ' },
        );
        this.endFirstRead?.();
      }, FIRST_READ_WAIT_MS);
      timer.unref();
      this.endFirstRead = () => {
        clearTimeout(timer);
        this.pendingFirstRead = undefined;
        this.endFirstRead = undefined;
        resolve();
      };
    });
  }

  private async revoke(revocation: Revocation): Promise<Revocation> {
    const expiresAt = retentionEnd(revocation.notBefore, this.settings.leeway);
    // In force here first: a store that cannot take it must not leave this instance accepting.
    this.sessions.add(revocation, expiresAt, this.clock.now());
    const entry = encodeRevocation(revocation);
    const [logged, published] = await Promise.all([
      this.store.appendToLog(REVOCATIONS_LOG, entry, expiresAt),
      this.store.publish(REVOCATIONS_CHANNEL, entry),
    ]);
    if (!logged || !published) throw new StoreUnavailableError('The revocation');
    return revocation;
  }

  private receive(text: string): void {
    const revocation = decodeRevocation(text);
    if (!revocation) return;
    const now = this.clock.now();
    if (revocation.notBefore * 1000 > now + MAX_AHEAD_MS) return;
    const expiresAt = retentionEnd(revocation.notBefore, this.settings.leeway);
    if (expiresAt > now) this.sessions.add(revocation, expiresAt, now);
  }

  /**
   * A store that answers but cannot give the log (a key of another type under the prefix, another
   * app's data) fails every revocation until someone fixes it: said once, until it is read again.
   */
  private warnUnreadable(): void {
    const health = this.store.health();
    if (this.warnedUnreadable || health.state !== 'available' || health.lastFailure !== 'refused') return;
    this.warnedUnreadable = true;
    this.logger.warn(
      'The revocation log in the shared store cannot be read (Redis answers, but not with the log: is another ' +
        'application using REDIS_KEY_PREFIX?); revocations cannot be shared until it can',
      { code: 'ENTRA_AUTH_REVOCATIONS_UNREADABLE' },
    );
  }

  /** Reads the whole list again (after a (re)connection); the entries held stay in force meanwhile. */
  private async resync(): Promise<void> {
    this.resyncRetry?.cancel();
    const entries = await this.store.readLog(REVOCATIONS_LOG);
    if (this.closed) return;
    if (!entries) {
      this.warnUnreadable();
      this.resyncRetry = this.clock.schedule(() => void this.resync(), RESYNC_RETRY_MS);
      return;
    }
    for (const entry of entries) this.receive(entry);
    this.lastSyncAt = this.clock.now();
    this.warnedUnreadable = false;
    this.endFirstRead?.();
  }
}
