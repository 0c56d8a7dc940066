import type Koa from 'koa';
import {
  getMetadataArgsStorage,
  useContainer,
  useKoaServer,
  type RoutingControllersOptions,
} from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';
import { GroupsProvider } from '../core/authorization/groups-provider';
import { PermissionsProvider } from '../core/authorization/permissions-provider';
import { ConfigurationError } from '../core/errors';
import { Settings } from '../core/settings/settings';
import { Telemetry } from '../core/telemetry/telemetry';
import { JwtAuthMiddleware } from '../koa/jwt-auth-middleware';
import { bindTelemetryToApp } from './app-telemetry';
import { validateAuthorizedRoutes } from './authorized-routes';
import { authorizationChecker, currentUserChecker } from './checkers';
import { decoratorMetadataProblems, resolveAtStartup } from './decorator-metadata';
import { TsyringeIocAdapter, bindContainerToApp } from './tsyringe-ioc-adapter';

/** routing-controllers options, less the ones this library owns. */
export type EntraAuthRoutingOptions = Omit<
  RoutingControllersOptions,
  'authorizationChecker' | 'currentUserChecker' | 'defaultErrorHandler'
>;

/**
 * `useKoaServer` with Entra ID authentication: JwtAuthMiddleware ahead of the routes (it verifies
 * each token once and answers every refusal without routing-controllers' default bodies), the
 * `authorizationChecker` and `currentUserChecker` behind `@Authorized` and `@CurrentUser`, and
 * controllers resolved from this app's container. Every `@Authorized` list of the app's controllers
 * is checked before the app can serve: a bad entry is a startup error naming its route. So is an
 * app compiled without the decorator flags (docs/design.md#d62), which would otherwise answer 404
 * to every route or fail on the first request.
 */
export function useEntraAuth(app: Koa, container: DependencyContainer, options: EntraAuthRoutingOptions): Koa {
  const controllerClasses = (options.controllers ?? []).filter(
    (controller): controller is Function => typeof controller === 'function',
  );
  const loadsByPath = (options.controllers ?? []).some((controller) => typeof controller === 'string');
  const settings = container.resolve(Settings);
  if (!loadsByPath) checkControllers(controllerClasses, settings);

  // Resolved on its own first: a provider's ConfigurationError (GraphGroupsProvider without
  // credentials) then fails the start as itself, not wrapped in tsyringe's injection error.
  resolveAtStartup(container, GroupsProvider);
  resolveAtStartup(container, PermissionsProvider);
  bindContainerToApp(app, container);
  bindTelemetryToApp(app, container.resolve(Telemetry));
  app.use(resolveAtStartup(container, JwtAuthMiddleware).handle);
  useContainer(new TsyringeIocAdapter(container));
  useKoaServer(app, { ...options, authorizationChecker, currentUserChecker, defaultErrorHandler: false });
  // Controllers given as glob paths are only loaded by useKoaServer: check every loaded one.
  if (loadsByPath) checkControllers(undefined, settings);
  return app;
}

/** The startup checks of the app's controllers (default: every controller loaded so far). */
function checkControllers(controllers: readonly Function[] | undefined, settings: Settings): void {
  const problems = decoratorMetadataProblems(
    controllers ?? getMetadataArgsStorage().controllers.map((controller) => controller.target),
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
  validateAuthorizedRoutes(controllers, settings);
}
