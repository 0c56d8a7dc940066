import type { Requirement } from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import type { Settings } from '../core/settings/settings';
import { validateAuthorizedRoutes } from '../routing-controllers/authorized-routes';
import { routeRequirements, type RouteRequirements } from '../routing-controllers/route-requirements';

/** One `@Authorized` or guard entry with the route it protects. */
export interface RouteEntry {
  /** `GET /admin/users (AdminController.users)`. */
  readonly route: string;
  readonly requirement: Requirement;
}

/** The routes of the loaded controllers that answer `method path` (`{name}` is one segment, a trailing slash optional). */
export function findRoutes(method: string, path: string): RouteRequirements[] {
  return routeRequirements().filter(
    (route) =>
      (route.httpMethod === method.toLowerCase() || route.httpMethod === 'all') &&
      route.path !== undefined &&
      patternOf(route.path).test(path),
  );
}

/** `GET /admin/users` of every loaded route, to show what exists. */
export function routeNames(): string[] {
  return routeRequirements().map(nameOf);
}

/** Every `@Authorized` and guard entry of every loaded route, for comparing them with the app registration. */
export function routeEntries(): RouteEntry[] {
  return routeRequirements().flatMap((route) =>
    route.allOf.flatMap((set) =>
      set.anyOf.map((requirement) => ({ route: `${nameOf(route)} (${route.operationId})`, requirement })),
    ),
  );
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

export function nameOf(route: RouteRequirements): string {
  return `${route.httpMethod.toUpperCase()} ${route.path ?? '(a regular expression)'}`;
}

function patternOf(openApiPath: string): RegExp {
  const source = openApiPath
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
