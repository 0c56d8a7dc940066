import type { KeySetFailure } from './key-set-fetcher';
import type { TokenVersion } from '../settings/settings';

/**
 * What the key cache tells operators. Reason codes, counts, versions and kids only: never a
 * token, a claim or a URL.
 */
export interface JwksCacheEvents {
  /** A discovery document and key set were fetched and are now in force. */
  keys_refreshed: { version: TokenVersion; keyCount: number; kidsAdded: number; kidsRemoved: number };
  /** A fetch failed; what is held (if anything) stays in force. */
  refresh_failed: { version: TokenVersion; reason: KeySetFailure; consecutiveFailures: number; retryInSeconds: number };
  /** After a failed refresh, the last good keys keep serving until `JWKS_STALE_MAX_AGE`. */
  serving_stale_keys: { version: TokenVersion; ageSeconds: number; expiresInSeconds: number };
  /** Tokens named kids the key set does not hold; `requests` counts them since the last event. */
  unknown_kid: { version: TokenVersion; kid: string; requests: number; refetched: boolean };
  /** No usable keys are held: requests are answered 503 until `retryInSeconds`. */
  keys_unavailable: { version: TokenVersion; reason: KeySetFailure; retryInSeconds: number };
}

export type JwksCacheEventName = keyof JwksCacheEvents;
export type JwksCacheListener<E extends JwksCacheEventName> = (event: JwksCacheEvents[E]) => void;
