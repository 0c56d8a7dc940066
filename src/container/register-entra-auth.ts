import { instanceCachingFactory, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { Clock, SystemClock } from '../core/clock';
import { EntraIdProvider } from '../core/token/entra-id-provider';
import { ClaimsGroupsProvider, GroupsProvider } from '../core/authorization/groups-provider';
import { HttpClient, NodeHttpClient } from '../core/http-client';
import { JwksCache } from '../core/keys/jwks-cache';
import { ClaimsPermissionsProvider, PermissionsProvider } from '../core/authorization/permissions-provider';
import { InMemorySharedStore } from '../core/store/in-memory-shared-store';
import { loadRedisClient } from '../core/store/redis-client';
import { RedisSharedStore } from '../core/store/redis-shared-store';
import { RevocationList } from '../core/revocation/revocation-list';
import { Settings, type SettingsInput } from '../core/settings/settings';
import { loadSettings } from '../core/settings/settings-loader';
import { SharedStore } from '../core/store/shared-store';

export interface RegisterEntraAuthOptions {
  /** Values that win over the environment. */
  readonly settings?: SettingsInput;
  /** Where variables are read from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The composition root: validates the settings (throwing one ConfigurationError naming every bad
 * setting, so configuration fails at startup, never at request time) and registers everything in
 * the given container, one instance each per container. No global `@singleton()`: two apps with
 * their own child containers never share a key cache or settings.
 *
 * A Clock, HttpClient, GroupsProvider, PermissionsProvider or SharedStore already registered in
 * the container (or an ancestor) is kept; registering one afterwards, before the first resolve,
 * replaces it too. The SharedStore is Redis when `REDIS_URL` is set (its client, an optional peer,
 * must then be installed: checked here), else this process's memory.
 */
export function registerEntraAuth(
  container: DependencyContainer,
  options: RegisterEntraAuthOptions = {},
): DependencyContainer {
  const settings = loadSettings(options.settings, options.env);
  container.register(Settings, { useValue: settings });
  registerDefault(container, Clock, () => new SystemClock());
  registerDefault(container, HttpClient, () => new NodeHttpClient());
  registerDefault(container, GroupsProvider, () => new ClaimsGroupsProvider());
  registerDefault(container, PermissionsProvider, () => new ClaimsPermissionsProvider());
  if (settings.redis) loadRedisClient();
  if (!container.isRegistered(SharedStore, true)) {
    // Built on first resolve, with the clock registered by then; one per container.
    container.register(SharedStore, {
      useFactory: instanceCachingFactory((scope) =>
        settings.redis
          ? new RedisSharedStore(settings, scope.resolve(Clock))
          : new InMemorySharedStore(scope.resolve(Clock)),
      ),
    });
  }
  container.registerSingleton(JwksCache);
  container.registerSingleton(RevocationList);
  container.registerSingleton(EntraIdProvider);
  return container;
}

function registerDefault<T>(container: DependencyContainer, token: InjectionToken<T>, create: () => T): void {
  if (!container.isRegistered(token, true)) container.register(token, { useValue: create() });
}
