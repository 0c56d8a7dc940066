import { LRUCache } from 'lru-cache';
import type { VerifiedAccessToken } from './entra-id-provider';
import type { SigningKey } from './signing-key';

/** A token that passed every rule, and the key object that verified its signature. */
export interface CachedVerification {
  readonly verified: VerifiedAccessToken;
  readonly key: SigningKey;
}

/**
 * What one entry is charged against the byte budget: the token string (the key) plus its decoded
 * header and claims, which V8 holds in about twice the token's length (measured with 1.7 KB
 * Entra-shaped tokens), plus the entry's fixed overhead.
 */
export function entryBytes(token: string): number {
  return token.length * 3 + ENTRY_OVERHEAD_BYTES;
}

const ENTRY_OVERHEAD_BYTES = 512;
/** Caps the heap the cache may hold whatever the entry count: 10,000 Entra tokens fit, 16 KB ones do not. */
export const TOKEN_CACHE_MAX_BYTES = 48 * 1024 * 1024;

/**
 * Verified tokens keyed on the whole token string, bounded in entries and bytes, least recently
 * used evicted first. Holding an entry proves only that the token once passed every rule: the
 * caller re-checks what can change since (time, the key set). A flood of distinct tokens evicts
 * in O(1) per insertion, so an evicted token costs at most one full verification later.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, CachedVerification> | undefined;

  constructor(maxEntries: number, maxBytes: number = TOKEN_CACHE_MAX_BYTES) {
    this.entries =
      maxEntries > 0
        ? new LRUCache<string, CachedVerification>({
            max: maxEntries,
            maxSize: maxBytes,
            sizeCalculation: (_entry, token) => entryBytes(token),
          })
        : undefined;
  }

  get(token: string): CachedVerification | undefined {
    return this.entries?.get(token);
  }

  set(token: string, entry: CachedVerification): void {
    this.entries?.set(token, entry);
  }

  delete(token: string): void {
    this.entries?.delete(token);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Bytes charged for the entries held now (see {@link entryBytes}). */
  get bytes(): number {
    return this.entries?.calculatedSize ?? 0;
  }
}
