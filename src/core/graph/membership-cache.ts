import type { Clock } from '../clock';

/** Enough for every active user of a large tenant; the oldest entry goes first past it. */
export const MAX_CACHED_MEMBERSHIPS = 10000;

interface Entry {
  readonly groups: readonly string[];
  readonly expiresAt: number;
}

/**
 * Resolved group memberships per (tenant, user), reused for `GROUPS_CACHE_TTL`, bounded in size
 * (least recently used out first), and single-flight: concurrent requests of one user share one
 * lookup. Failures are not cached, so the next request after the back-off tries again.
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<readonly string[]>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly maxEntries: number = MAX_CACHED_MEMBERSHIPS,
  ) {}

  get(tenantId: string, userId: string, lookup: () => Promise<readonly string[]>): Promise<readonly string[]> {
    const key = `${tenantId.toLowerCase()}/${userId.toLowerCase()}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock.now()) {
      // Re-inserting moves the key to the end: Map order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return Promise.resolve(entry.groups);
    }
    this.entries.delete(key);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;

    const started = lookup()
      .then((groups) => {
        this.store(key, { groups: Object.freeze([...groups]), expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
        return groups;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  get size(): number {
    return this.entries.size;
  }

  private store(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
