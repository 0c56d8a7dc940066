import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { SingleFlight } from '../single-flight';

/** Enough for every active user of a large tenant; the oldest entry goes first past it. */
export const MAX_CACHED_MEMBERSHIPS = 10000;

/**
 * Resolved group memberships per (tenant, user), reused for `GROUPS_CACHE_TTL` on the injected
 * clock, bounded in size (least recently used out first), and single-flight: concurrent requests
 * of one user share one lookup. Failures are not cached, so the next request after the back-off
 * tries again.
 */
export class MembershipCache {
  private readonly entries: LRUCache<string, readonly string[]>;
  private readonly lookups = new SingleFlight<string, readonly string[]>();

  constructor(
    clock: Clock,
    ttlSeconds: number,
    maxEntries: number = MAX_CACHED_MEMBERSHIPS,
    /** Told of each answer from the cache (the telemetry's cache hits). */
    private readonly onHit: () => void = () => {},
  ) {
    this.entries = new LRUCache<string, readonly string[]>({
      max: maxEntries,
      ttl: ttlSeconds * 1000,
      // Reads the clock at every check instead of caching its reading behind a real-time timer,
      // so moving the injected clock expires entries at once.
      perf: clock,
      ttlResolution: 0,
    });
  }

  get(tenantId: string, userId: string, lookup: () => Promise<readonly string[]>): Promise<readonly string[]> {
    const key = `${tenantId.toLowerCase()}/${userId.toLowerCase()}`;
    const groups = this.entries.get(key);
    if (groups) {
      this.onHit();
      return Promise.resolve(groups);
    }
    return this.lookups.run(key, lookup, (outcome) => {
      if (outcome.status === 'fulfilled') this.entries.set(key, Object.freeze([...outcome.value]));
    });
  }

  get size(): number {
    return this.entries.size;
  }
}
