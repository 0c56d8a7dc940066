import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
// #region key-cache-events
import { JwksCache } from 'entra-auth-middleware';
// #endregion

const appContainer = registerEntraAuth(container.createChildContainer());
/** Your logger; console here. */
const log = console;

// #region key-cache-events
const cache = appContainer.resolve(JwksCache);
cache.on('refresh_failed', (e) => log.warn({ event: 'refresh_failed', ...e })); // reason, consecutiveFailures, retryInSeconds
cache.on('serving_stale_keys', (e) => log.warn({ event: 'serving_stale_keys', ...e })); // ageSeconds, expiresInSeconds
cache.on('keys_unavailable', (e) => log.error({ event: 'keys_unavailable', ...e })); // reason, retryInSeconds
cache.on('keys_refreshed', (e) => log.info({ event: 'keys_refreshed', ...e })); // keyCount, kidsAdded, kidsRemoved
cache.on('unknown_kid', (e) => log.info({ event: 'unknown_kid', ...e })); // kid, requests since the last one

// For a health route: healthy, and per token version state, keys, lastError …
const { healthy, keySets } = cache.health();
// #endregion key-cache-events

export { healthy, keySets };
