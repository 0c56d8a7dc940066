import {
  ClaimsGroupsProvider,
  ClaimsPermissionsProvider,
  EntraIdProvider,
  InMemorySharedStore,
  JwksCache,
  NodeHttpClient,
  RevocationList,
  SystemClock,
  loadSettings,
} from '../../src';
import type { AuthorityConfig } from './bench-tokens';

/** A provider on the system clock against the emulator, wired by hand as the container would. */
export function benchProvider(
  authority: AuthorityConfig,
  tokenCacheMaxEntries: number,
  ca?: string,
): { provider: EntraIdProvider; cache: JwksCache; revocations: RevocationList } {
  const settings = loadSettings(
    {
      tenantId: authority.tenantId,
      audiences: [authority.audience],
      jwksUrlTemplate: authority.jwksUrlTemplate,
      tokenCacheMaxEntries,
    },
    {},
  );
  const clock = new SystemClock();
  const cache = new JwksCache(settings, new NodeHttpClient(ca === undefined ? {} : { ca }), clock);
  const revocations = new RevocationList(settings, new InMemorySharedStore(clock), clock);
  const provider = new EntraIdProvider(
    settings,
    cache,
    clock,
    new ClaimsGroupsProvider(),
    new ClaimsPermissionsProvider(),
    revocations,
  );
  return { provider, cache, revocations };
}
