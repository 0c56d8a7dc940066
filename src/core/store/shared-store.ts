import type { InjectionToken } from 'tsyringe';

/**
 * Why a store operation failed, as stable codes for health reports and warnings: `offline` (no
 * connection), `timeout` (no answer within `STORE_TIMEOUT_MS`), `busy` (too many commands
 * waiting), `refused` (Redis answered with an error, such as a key of the wrong type),
 * `command_failed` (anything else).
 */
export type StoreFailure = 'offline' | 'auth_failed' | 'timeout' | 'busy' | 'refused' | 'command_failed';

/** The store's state for operators: no key, no value, no URL. */
export interface SharedStoreHealth {
  /** `in_process`: this process only (no `REDIS_URL`); `redis`: shared by the fleet. */
  readonly kind: 'in_process' | 'redis';
  /** `unavailable` while Redis cannot be reached: requests then use what this process holds. */
  readonly state: 'available' | 'unavailable';
  /** When the state began (ISO 8601). */
  readonly since: string;
  /** Operations that failed or timed out since start; each was answered as a miss. */
  readonly failures: number;
  readonly lastFailure: StoreFailure | undefined;
  /** Times the connection was re-established after it was lost. */
  readonly reconnections: number;
}

/** Whether a lock was taken: `unavailable` when the store could not say in time. */
export type LockOutcome = 'acquired' | 'held' | 'unavailable';

export interface StoreSubscription {
  close(): void;
}

/** What a subscriber is told: each message, and each time it may have missed some. */
export interface StoreSubscriber {
  message(message: string): void;
  /**
   * The subscription is (again) live after a time in which messages may have been lost (the first
   * connection, a reconnection): read the state anew from the store.
   */
  resync(): void;
}

/**
 * State that the instances of a fleet share (docs/design.md#fleet): values with a time to live,
 * short locks, expiring logs and broadcast messages. Keys and channels are given without the
 * prefix; the store adds it.
 *
 * **Never fails a request.** Every operation answers within `STORE_TIMEOUT_MS` and never rejects:
 * a store that is down, slow or answers garbage is a miss (`undefined`, `false`, `unavailable`),
 * and callers fall back to what the process can do alone. Values are strings of bounded size
 * ({@link MAX_STORE_VALUE_BYTES}): a larger one is neither written nor read.
 *
 * Also the tsyringe token: `registerEntraAuth` registers a {@link RedisSharedStore} when
 * `REDIS_URL` is set, else an {@link InMemorySharedStore}.
 */
export interface SharedStore {
  /** Whether other processes read and write it too; `false`: this process only. */
  readonly shared: boolean;
  get(key: string): Promise<string | undefined>;
  /** Writes a value that expires after `ttlMs`; `false` when it was not written. */
  set(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Takes the lock `key` for `owner` (a value unique to the caller) unless someone holds it; it expires after `ttlMs`. */
  acquireLock(key: string, owner: string, ttlMs: number): Promise<LockOutcome>;
  /** Releases the lock if `owner` still holds it (it may have expired and been taken since). */
  releaseLock(key: string, owner: string): Promise<void>;
  /** Adds `entry` to the log `key` until `expiresAt` (epoch milliseconds), dropping entries past theirs. */
  appendToLog(key: string, entry: string, expiresAt: number): Promise<boolean>;
  /** Every entry of the log not yet expired; `undefined` when the store could not answer. */
  readLog(key: string): Promise<string[] | undefined>;
  /** Sends `message` to every subscriber of `channel`, in every process; `false` when it was not sent. */
  publish(channel: string, message: string): Promise<boolean>;
  subscribe(channel: string, subscriber: StoreSubscriber): StoreSubscription;
  health(): SharedStoreHealth;
  /** Closes connections and timers; operations afterwards are misses. */
  close(): Promise<void>;
}

export const SharedStore: InjectionToken<SharedStore> = Symbol('SharedStore');

/**
 * The largest value the store writes or believes. A user in ~25,000 security groups still fits;
 * past this the process keeps its own answer and the fleet looks it up again.
 */
export const MAX_STORE_VALUE_BYTES = 1024 * 1024;

/** The largest log entry: a log holds small records (revocations), never values. */
export const MAX_LOG_ENTRY_BYTES = 256;
