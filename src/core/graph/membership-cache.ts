import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock';
import { SingleFlight } from '../single-flight';

/** Enough for every active user of a large tenant; the oldest entry goes first past it. */
export const MAX_CACHED_MEMBERSHIPS = 10000;

/** A user's resolved memberships and when they stop being reused (epoch milliseconds, injected clock). */
export interface TimedMembership {
  readonly groups: readonly string[];
  readonly expiresAt: number;
}

/**
 * Resolved group memberships per (tenant, user), reused until the expiry the lookup gives them
 * (`GROUPS_CACHE_TTL` after Graph answered, in this process or another of the fleet) on the
 * injected clock, bounded in size (least recently used out first), and single-flight: concurrent
 * requests of one user share one lookup. Failures are not cached, so the next request after the
 * back-off tries again.
 */
export class MembershipCache {
  private readonly entries: LRUCache<string, readonly string[]>;
  private readonly lookups = new SingleFlight<string, TimedMembership>();

  constructor(
    private readonly clock: Clock,
    maxEntries: number = MAX_CACHED_MEMBERSHIPS,
    /** Told of each answer from the cache (the telemetry's cache hits). */
    private readonly onHit: () => void = () => {},
  ) {
    this.entries = new LRUCache<string, readonly string[]>({
      max: maxEntries,
      // Reads the clock at every check instead of caching its reading behind a real-time timer,
      // so moving the injected clock expires entries at once.
      perf: clock,
      ttlResolution: 0,
    });
  }

  async get(tenantId: string, userId: string, lookup: () => Promise<TimedMembership>): Promise<readonly string[]> {
    const key = `${tenantId.toLowerCase()}/${userId.toLowerCase()}`;
    const groups = this.entries.get(key);
    if (groups) {
      this.onHit();
      return groups;
    }
    const membership = await this.lookups.run(key, lookup, (outcome) => {
      if (outcome.status !== 'fulfilled') return;
      const ttl = outcome.value.expiresAt - this.clock.now();
      if (ttl > 0) this.entries.set(key, Object.freeze([...outcome.value.groups]), { ttl });
    });
    return membership.groups;
  }

  get size(): number {
    return this.entries.size;
  }
}
