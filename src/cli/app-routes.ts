import { getMetadataArgsStorage } from 'routing-controllers';
import { parseRequirement, type Requirement } from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import type { Settings } from '../core/settings/settings';
import { validateAuthorizedRoutes } from '../routing-controllers/authorized-routes';
import { guardRequirementsOf, isGuard } from '../routing-controllers/guard-requirements';

/** A route of the loaded controllers, with what routing-controllers will check on it. */
export interface AppRoute {
  /** `GET`, …; `ALL` for `@All`. */
  readonly method: string;
  /** The controller's route and the action's, as the controllers declare them. */
  readonly path: string;
  /** `Controller.method`. */
  readonly handler: string;
  readonly controller: Function;
  /** `@Authorized` on the class or the method. */
  readonly authorized: boolean;
  /** The class's `@Authorized` entries, then the method's: routing-controllers merges (widens) them. */
  readonly roles: readonly unknown[];
  /** The requirements of each of this library's guards in `@UseBefore`, in order (they run first). */
  readonly guards: readonly (readonly Requirement[])[];
  /** Other `@UseBefore` middleware, which the CLI cannot judge. */
  readonly otherMiddleware: number;
  readonly pattern: RegExp | undefined;
}

/** One `@Authorized` or guard entry with the route it protects. */
export interface RouteRequirement {
  readonly route: string;
  readonly entry: string;
  readonly requirement: Requirement;
}

/**
 * The routes of every controller loaded so far, read from routing-controllers' metadata the way
 * its MetadataBuilder reads it: a controller's own actions first, then those of its base classes
 * it does not override, with the decorators of the registered controller (D40).
 */
export function appRoutes(): AppRoute[] {
  const storage = getMetadataArgsStorage();
  const authorizedOf = (target: Function, method: string | undefined) =>
    storage.responseHandlers.find(
      (handler) => handler.type === 'authorized' && handler.target === target && handler.method === method,
    );
  // routing-controllers runs the class's middleware before the method's.
  const usesOf = (target: Function, method: string) => {
    const before = storage.uses.filter((use) => use.target === target && !use.afterAction);
    return [...before.filter((use) => use.method === undefined), ...before.filter((use) => use.method === method)];
  };
  return storage.controllers.flatMap(({ target, route: prefix = '' }) => {
    const seen = new Set<string>();
    const routes: AppRoute[] = [];
    for (
      let owner = target;
      typeof owner === 'function' && owner !== Function.prototype;
      owner = Object.getPrototypeOf(owner)
    ) {
      for (const action of storage.actions.filter((entry) => entry.target === owner && !seen.has(entry.method))) {
        seen.add(action.method);
        const classLevel = authorizedOf(target, undefined);
        const methodLevel = authorizedOf(target, action.method);
        const uses = usesOf(target, action.method);
        const path =
          action.route instanceof RegExp ? `${prefix}${action.route.source}` : `${prefix}${action.route ?? ''}`;
        routes.push({
          method: action.type.toUpperCase(),
          path,
          handler: `${target.name}.${action.method}`,
          controller: target,
          authorized: classLevel !== undefined || methodLevel !== undefined,
          roles: ([] as unknown[]).concat(classLevel?.value ?? [], methodLevel?.value ?? []),
          guards: uses.filter((use) => isGuard(use.middleware)).map((use) => guardRequirementsOf(use.middleware)),
          otherMiddleware: uses.filter((use) => !isGuard(use.middleware)).length,
          pattern: action.route instanceof RegExp ? (prefix ? undefined : action.route) : patternOf(path),
        });
      }
    }
    return routes;
  });
}

/** The routes that answer `method path` (Koa's router: `:name` is one segment, a trailing slash is optional). */
export function findRoutes(method: string, path: string): AppRoute[] {
  return appRoutes().filter(
    (route) => (route.method === method.toUpperCase() || route.method === 'ALL') && route.pattern?.test(path) === true,
  );
}

/** Every `@Authorized` and guard entry of every route, for comparing them with the app registration. */
export function routeRequirements(): RouteRequirement[] {
  return appRoutes().flatMap((route) => {
    const name = `${route.method} ${route.path} (${route.handler})`;
    const fromList = route.roles.flatMap((entry) => {
      const parsed = typeof entry === 'string' ? parseRequirement(entry) : 'not a string';
      return typeof parsed === 'string' ? [] : [{ route: name, entry: String(entry), requirement: parsed }];
    });
    const fromGuards = route.guards
      .flat()
      .map((requirement) => ({ route: name, entry: `${requirement.kind}:${requirement.value}`, requirement }));
    return [...fromList, ...fromGuards];
  });
}

function patternOf(path: string): RegExp {
  const source = path
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The library's startup check of the loaded controllers: the problems that would fail the app's start. */
export function startupProblems(settings: Settings): readonly string[] {
  try {
    validateAuthorizedRoutes(undefined, settings);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}
