import { LRUCache } from 'lru-cache';
import type { VerifiedAccessToken } from './verified-access-token';
import type { SigningKey } from '../keys/signing-key';

/** A token that passed every rule, and the key object that verified its signature. */
export interface CachedVerification {
  readonly verified: VerifiedAccessToken;
  readonly key: SigningKey;
  /** The v2 keys held when a v1 token's key issuer binding was read from their set. */
  readonly bindingKeySet: ReadonlyMap<string, SigningKey> | undefined;
}

interface Held {
  readonly token: string;
  readonly verification: CachedVerification;
}

const ENTRY_OVERHEAD_BYTES = 256;

/**
 * What one entry is charged against the byte budget: the token string, its decoded header and
 * claims (charged at the token's length again: decoded, they take about as much heap as their
 * text), and the entry's fixed overhead.
 */
export function entryBytes(token: string): number {
  return token.length * 2 + ENTRY_OVERHEAD_BYTES;
}

/**
 * Caps the heap the cache holds whatever the entry count, so that tokens near MAX_TOKEN_BYTES
 * cannot make TOKEN_CACHE_MAX_ENTRIES entries cost hundreds of megabytes. For Entra-sized tokens
 * this bound, not TOKEN_CACHE_MAX_ENTRIES, is the one that binds. Peak RSS grows by more than
 * this while many distinct tokens pass (`npm run bench` measures it), because evicted entries wait
 * in V8's old generation for a full collection; a smaller cap barely changes that and a larger one
 * adds to it.
 */
export const TOKEN_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Verified tokens, bounded in entries and bytes, least recently used evicted first. A hit needs
 * the whole token string to be equal; the index is its signature segment only because V8 hashes
 * every character of a Map key on each lookup of a new string (for a whole token, more than a hit
 * may cost), and a signature names its token as surely: a different token with a
 * copied signature is a miss, verified in full (and refused), and cannot displace the entry.
 *
 * Holding an entry proves only that the token once passed every rule: the caller re-checks what
 * can change since (time, the key set). A flood of distinct tokens evicts in O(1) per insertion,
 * so an evicted token costs at most one full verification later.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, Held> | undefined;

  constructor(maxEntries: number, maxBytes: number = TOKEN_CACHE_MAX_BYTES) {
    this.entries =
      maxEntries > 0
        ? new LRUCache<string, Held>({
            max: maxEntries,
            maxSize: maxBytes,
            sizeCalculation: (held) => entryBytes(held.token),
          })
        : undefined;
  }

  get(token: string): CachedVerification | undefined {
    const held = this.entries?.get(signatureOf(token));
    return held?.token === token ? held.verification : undefined;
  }

  set(token: string, verification: CachedVerification): void {
    this.entries?.set(signatureOf(token), { token, verification });
  }

  /** Forgets `token`; an entry of another token with the same signature segment stays. */
  delete(token: string): void {
    const signature = signatureOf(token);
    if (this.entries?.peek(signature)?.token === token) this.entries.delete(signature);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Bytes charged for the entries held now (see {@link entryBytes}). */
  get bytes(): number {
    return this.entries?.calculatedSize ?? 0;
  }
}

/** A slice, not a copy: V8 shares the token's characters. */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
