// One server under load, in its own process: `node http-server.js <variant>`, the authority in
// BENCH_AUTHORITY (JSON). It answers the parent with `{ port }` over IPC once listening.
import 'reflect-metadata';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Koa from 'koa';
import koaJwt from 'koa-jwt';
import { koaJwtSecret } from 'jwks-rsa';
import passport from 'passport';
import { Authorized, CurrentUser, Get, JsonController, useKoaServer } from 'routing-controllers';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { container } from 'tsyringe';
import { registerEntraAuth, type EntraIdUser } from '../../src';
import { useEntraAuth } from '../../src/routing-controllers';
import type { AuthorityConfig } from './bench-tokens';

export const SERVER_VARIANTS = [
  'routing-controllers',
  'routing-controllers-stub-auth',
  'ours',
  'ours-telemetry',
  'ours-cache-off',
  'ceiling',
  'koa-jwt',
  'express',
  'express-passport',
] as const;
export type ServerVariant = (typeof SERVER_VARIANTS)[number];

@JsonController()
class OpenController {
  @Get('/hello')
  hello(): { ok: boolean } {
    return { ok: true };
  }
}

/** What users of this library write: `@Authorized()` and `@CurrentUser()` on one route. */
@JsonController()
class ProtectedController {
  @Authorized()
  @Get('/hello')
  hello(@CurrentUser({ required: true }) user: EntraIdUser): { ok: boolean; id: string | undefined } {
    return { ok: true, id: user.id };
  }
}

function routingControllersApp(use?: Koa.Middleware): Koa {
  const app = new Koa();
  if (use) app.use(use);
  useKoaServer(app, { controllers: [OpenController] });
  return app;
}

/** The framework's own share: the same protected route, with checkers that verify nothing. */
function stubAuthApp(): Koa {
  const app = new Koa();
  const user = { id: 'stub' };
  useKoaServer(app, {
    controllers: [ProtectedController],
    authorizationChecker: () => true,
    currentUserChecker: () => user,
  });
  return app;
}

function oursApp(authority: AuthorityConfig, tokenCacheMaxEntries?: number): Koa {
  const scoped = container.createChildContainer();
  registerEntraAuth(scoped, {
    settings: {
      tenantId: authority.tenantId,
      audiences: [authority.audience],
      jwksUrlTemplate: authority.jwksUrlTemplate,
      ...(tokenCacheMaxEntries !== undefined ? { tokenCacheMaxEntries } : {}),
    },
    env: {},
  });
  return useEntraAuth(new Koa(), scoped, { controllers: [ProtectedController] });
}

/** How often the telemetry variant's metrics are collected and serialised, as a Prometheus scrape would (usually every 15 s). */
const SCRAPE_INTERVAL_MS = 1000;

/**
 * The OpenTelemetry SDK as an app sets it up, before the app: a MeterProvider read by a Prometheus
 * exporter, scraped every second while the load runs (in-process: the scrape's own HTTP is not
 * what is measured).
 */
function startTelemetry(): void {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  setInterval(() => void exporter.collect(), SCRAPE_INTERVAL_MS).unref();
}

async function fetchKey(authority: AuthorityConfig): Promise<KeyObject> {
  const { keys } = (await (await fetch(authority.jwksUri)).json()) as { keys: Array<Record<string, string>> };
  return createPublicKey({ key: keys[0] as never, format: 'jwk' });
}

/** The ceiling: split the bearer token and one synchronous RS256 verify, nothing else checked. */
function ceilingMiddleware(key: KeyObject): Koa.Middleware {
  return async (ctx, next) => {
    const token = (ctx.get('authorization') ?? '').slice('Bearer '.length);
    const lastDot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
    if (!verify('sha256', Buffer.from(token.slice(0, lastDot)), key, signature)) ctx.throw(401);
    await next();
  };
}

function koaJwtMiddleware(authority: AuthorityConfig): Koa.Middleware {
  return koaJwt({
    secret: koaJwtSecret({ jwksUri: authority.jwksUri, cache: true, rateLimit: true }) as never,
    audience: authority.audience,
    issuer: authority.issuer,
    algorithms: ['RS256'],
  }) as unknown as Koa.Middleware;
}

function expressApp(authority?: AuthorityConfig): express.Express {
  const app = express();
  const hello = (_req: express.Request, res: express.Response): void => {
    res.json({ ok: true });
  };
  if (!authority) {
    app.get('/hello', hello);
    return app;
  }
  // passport-azure-ad ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { BearerStrategy } = require('passport-azure-ad') as {
    BearerStrategy: new (
      options: object,
      verify: (token: object, done: (e: null, user: object) => void) => void,
    ) => passport.Strategy;
  };
  passport.use(
    new BearerStrategy(
      {
        identityMetadata: authority.discoveryUrl,
        clientID: authority.audience,
        audience: authority.audience,
        validateIssuer: true,
        loggingLevel: 'error',
        loggingNoPII: true,
      },
      (token, done) => done(null, token),
    ),
  );
  app.use(passport.initialize());
  app.get('/hello', passport.authenticate('oauth-bearer', { session: false }), hello);
  return app;
}

async function createServer(
  variant: ServerVariant,
  authority: AuthorityConfig,
): Promise<{ listen: (port: number, host: string, done: () => void) => Server }> {
  switch (variant) {
    case 'routing-controllers':
      return routingControllersApp();
    case 'routing-controllers-stub-auth':
      return stubAuthApp();
    case 'ours':
      return oursApp(authority);
    case 'ours-telemetry':
      startTelemetry();
      return oursApp(authority);
    case 'ours-cache-off':
      return oursApp(authority, 0);
    case 'ceiling':
      return routingControllersApp(ceilingMiddleware(await fetchKey(authority)));
    case 'koa-jwt':
      return routingControllersApp(koaJwtMiddleware(authority));
    case 'express':
      return expressApp();
    case 'express-passport':
      return expressApp(authority);
  }
}

async function main(): Promise<void> {
  const variant = process.argv[2] as ServerVariant;
  if (!SERVER_VARIANTS.includes(variant)) throw new Error(`unknown server variant: ${variant}`);
  const authority = JSON.parse(process.env.BENCH_AUTHORITY ?? '') as AuthorityConfig;
  const app = await createServer(variant, authority);
  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  // The CPU time this server spent, asked before and after a measured run: a figure other work on
  // a shared machine barely moves, unlike requests per second.
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
