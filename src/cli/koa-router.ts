import { createRequire } from 'node:module';
import { UsageError } from './usage-error';

type Middleware = (context: object, next: () => Promise<void>) => Promise<void>;

/** What the CLI uses of @koa/router: registering a route, and the middleware that dispatches to routes. */
export interface KoaRouter {
  routes(): Middleware;
}

/**
 * A new @koa/router, the one routing-controllers' Koa driver loads (resolved from
 * routing-controllers' own folder, as its `require('@koa/router')` resolves it): routes are then
 * matched by the very path-to-regexp version and rules the app's requests meet.
 */
export function createKoaRouter(): KoaRouter {
  let Router: new () => KoaRouter;
  try {
    Router = createRequire(require.resolve('routing-controllers'))('@koa/router') as new () => KoaRouter;
  } catch {
    throw UsageError.routerMissing();
  }
  return new Router();
}

/**
 * `router.get(path, middleware)`, by the lower-case method routing-controllers names it (`all`
 * included). A method the router lacks is skipped: routing-controllers would not start with it.
 */
export function registerRoute(router: KoaRouter, method: string, path: string | RegExp, middleware: Middleware): void {
  const register = (router as unknown as Record<string, unknown>)[method];
  if (typeof register === 'function') register.call(router, path, middleware);
}
