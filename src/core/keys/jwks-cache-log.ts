import type { JwksCacheEventName, JwksCacheEvents } from './jwks-cache-events';
import type { Logger } from '../telemetry/logger';

const ENTRIES: Readonly<Record<JwksCacheEventName, { level: 'info' | 'warn' | 'error'; message: string }>> = {
  keys_refreshed: { level: 'info', message: 'signing keys fetched and in force' },
  refresh_failed: { level: 'warn', message: 'signing-key fetch failed; what is held stays in force' },
  serving_stale_keys: { level: 'warn', message: 'serving the last good signing keys after a failed refresh' },
  keys_unavailable: { level: 'error', message: 'no signing keys: tokens are answered 503 until a fetch succeeds' },
  unknown_kid: { level: 'info', message: 'tokens named a kid the key set does not hold' },
};

/** A key-cache event as a log entry: its level, a fixed message, and the event's own fields (no URL, no token). */
export function logJwksCacheEvent<E extends JwksCacheEventName>(
  logger: Logger,
  event: E,
  payload: JwksCacheEvents[E],
): void {
  const { level, message } = ENTRIES[event];
  logger[level](message, { event, ...payload });
}
