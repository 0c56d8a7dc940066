import type { Requirement } from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import type { Settings } from '../core/settings/settings';
import { validateAuthorizedRoutes } from '../routing-controllers/authorized-routes';
import { routeRequirements, type RouteRequirements } from '../routing-controllers/route-requirements';
import { createKoaRouter, registerRoute } from './koa-router';

/** One `@Authorized` or guard entry with the route it protects. */
export interface RouteEntry {
  /** `GET /admin/users (AdminController.users)`. */
  readonly route: string;
  readonly requirement: Requirement;
}

/** The route that answers a request, and the others that match it but never run. */
export interface RouteMatch {
  readonly route: RouteRequirements;
  readonly shadowed: readonly RouteRequirements[];
}

/**
 * The loaded route that answers `method path`, found by routing-controllers' own router: every
 * route registered in routing-controllers' order, as its Koa driver registers it (a trailing slash
 * dropped), then the request dispatched. The router runs every matching route in that order, and
 * routing-controllers' route guard lets only the first one act, so the first is the answer.
 */
export async function matchRoute(method: string, path: string): Promise<RouteMatch | undefined> {
  const router = createKoaRouter();
  const matched: RouteRequirements[] = [];
  for (const route of routeRequirements()) {
    const registered =
      typeof route.route === 'string' && route.route.length > 1 && route.route.endsWith('/')
        ? route.route.slice(0, -1)
        : route.route;
    registerRoute(router, route.httpMethod, registered, async (_context, next) => {
      matched.push(route);
      await next();
    });
  }
  await router.routes()({ method: method.toUpperCase(), path, request: {} }, async () => undefined);
  const [first, ...shadowed] = matched;
  return first ? { route: first, shadowed } : undefined;
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

/** `GET /reports/:id(\\d+)`: the route as the app declares it. */
export function nameOf(route: RouteRequirements): string {
  return `${route.httpMethod.toUpperCase()} ${typeof route.route === 'string' ? route.route || '/' : String(route.route)}`;
}
