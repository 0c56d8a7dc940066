import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import {
  MAX_LOG_ENTRY_BYTES,
  MAX_STORE_VALUE_BYTES,
  type LockOutcome,
  type SharedStore,
  type SharedStoreHealth,
  type StoreSubscriber,
  type StoreSubscription,
} from './shared-store';

/** Bounds what the process holds for itself, like the membership cache it stands beside. */
const MAX_VALUES = 10_000;

/**
 * The store of a single process (no `REDIS_URL`): the same contract as the Redis store, kept in
 * memory on the injected clock, so the revocation list and everything else work alike with or
 * without a fleet. It never fails and reaches no other process.
 */
export class InMemorySharedStore implements SharedStore {
  readonly shared = false;
  private readonly values: LRUCache<string, string>;
  private readonly logs = new Map<string, Map<string, number>>();
  private readonly channels = new Map<string, Set<StoreSubscriber>>();
  private readonly since: string;

  constructor(private readonly clock: Clock) {
    this.since = new Date(clock.now()).toISOString();
    this.values = new LRUCache<string, string>({
      max: MAX_VALUES,
      // Reads the injected clock at every check, so moving it expires values at once.
      perf: clock,
      ttlResolution: 0,
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (Buffer.byteLength(value) > MAX_STORE_VALUE_BYTES || !(ttlMs > 0)) return false;
    this.values.set(key, value, { ttl: ttlMs });
    return true;
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<LockOutcome> {
    if (this.values.has(key)) return 'held';
    this.values.set(key, owner, { ttl: ttlMs });
    return 'acquired';
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    if (this.values.get(key) === owner) this.values.delete(key);
  }

  async appendToLog(key: string, entry: string, expiresAt: number): Promise<boolean> {
    if (Buffer.byteLength(entry) > MAX_LOG_ENTRY_BYTES) return false;
    const log = this.logs.get(key) ?? new Map<string, number>();
    this.logs.set(key, log);
    const now = this.clock.now();
    for (const [held, until] of log) if (until <= now) log.delete(held);
    if (expiresAt > now) log.set(entry, Math.max(expiresAt, log.get(entry) ?? 0));
    return true;
  }

  async readLog(key: string): Promise<string[] | undefined> {
    const now = this.clock.now();
    return [...(this.logs.get(key) ?? [])].filter(([, until]) => until > now).map(([entry]) => entry);
  }

  async publish(channel: string, message: string): Promise<boolean> {
    for (const subscriber of this.channels.get(channel) ?? []) queueMicrotask(() => subscriber.message(message));
    return true;
  }

  subscribe(channel: string, subscriber: StoreSubscriber): StoreSubscription {
    const subscribers = this.channels.get(channel) ?? new Set<StoreSubscriber>();
    this.channels.set(channel, subscribers);
    subscribers.add(subscriber);
    queueMicrotask(() => subscriber.resync());
    return { close: () => subscribers.delete(subscriber) };
  }

  health(): SharedStoreHealth {
    return {
      kind: 'in_process',
      state: 'available',
      since: this.since,
      failures: 0,
      lastFailure: undefined,
      reconnections: 0,
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
