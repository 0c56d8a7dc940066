import { instanceCachingFactory, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { Clock, SystemClock } from '../core/clock';
import { createTelemetry, type TelemetryOptions } from '../core/telemetry/create-telemetry';
import { EntraIdProvider } from '../core/token/entra-id-provider';
import { ClaimsGroupsProvider, GroupsProvider } from '../core/authorization/groups-provider';
import { HttpClient, NodeHttpClient } from '../core/http-client';
import { JwksCache } from '../core/keys/jwks-cache';
import { Logger } from '../core/telemetry/logger';
import { ClaimsPermissionsProvider, PermissionsProvider } from '../core/authorization/permissions-provider';
import { ProcessWarningLogger } from '../core/telemetry/process-warning-logger';
import { Settings, type SettingsInput } from '../core/settings/settings';
import { loadSettings } from '../core/settings/settings-loader';
import { Telemetry } from '../core/telemetry/telemetry';
import { refuseLateRegistrations } from './late-registration';

export interface RegisterEntraAuthOptions {
  /** Values that win over the environment. */
  readonly settings?: SettingsInput;
  /** Where variables are read from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** OpenTelemetry beyond the defaults (docs/design.md#telemetry). */
  readonly telemetry?: TelemetryOptions;
}

/**
 * The composition root: validates the settings (throwing one ConfigurationError naming every bad
 * setting, so configuration fails at startup, never at request time) and registers everything in
 * the given container, one instance each per container. No global `@singleton()`: two apps with
 * their own child containers never share a key cache or settings.
 *
 * A Clock, HttpClient, GroupsProvider, PermissionsProvider or Logger already registered in the
 * container (or an ancestor) is kept; registering one afterwards replaces it, until the container
 * builds EntraIdProvider (useEntraAuth does): from then on such a registration throws a
 * ConfigurationError, since the provider already holds the ones registered before
 * (docs/design.md#d61). Telemetry is set up at the first resolve (`useEntraAuth`), from
 * `@opentelemetry/api` and the providers registered with it by then.
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
  registerDefault(container, Logger, () => new ProcessWarningLogger());
  const telemetryOptions = options.telemetry ?? {};
  container.register(Telemetry, {
    useFactory: instanceCachingFactory((resolver) => createTelemetry(telemetryOptions, resolver.resolve(Logger))),
  });
  container.registerSingleton(JwksCache);
  container.registerSingleton(EntraIdProvider);
  refuseLateRegistrations(container, EntraIdProvider, [
    { token: Clock, name: 'Clock' },
    { token: HttpClient, name: 'HttpClient' },
    { token: GroupsProvider, name: 'GroupsProvider' },
    { token: PermissionsProvider, name: 'PermissionsProvider' },
    { token: Logger, name: 'Logger' },
  ]);
  return container;
}

function registerDefault<T>(container: DependencyContainer, token: InjectionToken<T>, create: () => T): void {
  if (!container.isRegistered(token, true)) container.register(token, { useValue: create() });
}
