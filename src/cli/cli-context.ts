import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { Clock } from '../core/clock';
import { GroupsProvider } from '../core/authorization/groups-provider';
import { HttpClient } from '../core/http-client';
import { PermissionsProvider } from '../core/authorization/permissions-provider';
import { Settings } from '../core/settings/settings';
import { registerEntraAuth } from '../container/register-entra-auth';
import type { LoadedApp } from './app-module';
import type { Environment } from './environment';

/** What the commands judge with: the app's settings and services, as the library would use them. */
export interface CliContext {
  readonly settings: Settings;
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly groupsProvider: GroupsProvider;
  readonly permissionsProvider: PermissionsProvider;
  /** Where they come from: the environment (and --settings-file), or the container the app module exports. */
  readonly source: 'environment' | 'app container';
}

/**
 * The app's own container when its module exports one; otherwise a container registered from the
 * environment by the library's composition root, so settings are loaded and validated exactly as
 * the app loads them. Throws the library's ConfigurationError.
 */
export function createCliContext(env: Environment, app: LoadedApp | undefined): CliContext {
  const fromApp = app?.container;
  const container: DependencyContainer = fromApp ?? registerEntraAuth(rootContainer.createChildContainer(), { env });
  return {
    settings: container.resolve(Settings),
    clock: container.resolve(Clock),
    http: container.resolve(HttpClient),
    groupsProvider: container.resolve(GroupsProvider),
    permissionsProvider: container.resolve(PermissionsProvider),
    source: fromApp ? 'app container' : 'environment',
  };
}
