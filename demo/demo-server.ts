import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { Lifecycle, container as rootContainer, type DependencyContainer } from 'tsyringe';
import {
  ConfigurationError,
  GraphGroupsProvider,
  GroupsProvider,
  JwksCache,
  RevocationList,
  Settings,
  SharedStore,
  describeSettings,
  registerEntraAuth,
  resourceMetadataUrl,
  type SettingsInput,
} from '../src';
import { isLoopbackHost } from '../src/core/settings/authority-url';
import { variablesOf } from '../src/core/settings/settings-table';
import { serveProtectedResourceMetadata } from '../src/koa';
import { serveSwaggerUi } from '../src/openapi';
import { useEntraAuth } from '../src/routing-controllers';
import {
  EMULATOR_CLIENT_SECRET,
  EntraEmulator,
  administratorsGroupId,
  apiClientId,
  clientAppId,
  primaryTenant,
} from '../src/testing';
import { DEMO_CONTROLLERS } from './controllers';
import { MetricsController } from './metrics-controller';
import { demoDocument } from './openapi';

/** The embedded emulator of another demo instance: this one joins it, as the second instance of a fleet. */
export const JOIN_VARIABLE = 'DEMO_EMULATOR_URL';

type Environment = Readonly<Record<string, string | undefined>>;

export interface CurlCase {
  readonly label: string;
  readonly expectedStatus: number;
  readonly path: string;
  readonly token: string | undefined;
  /** A JSON body, sent with POST. */
  readonly body?: string;
}

export interface DemoServer {
  readonly url: string;
  /** `joined`: validates the tokens of another instance's emulator (`DEMO_EMULATOR_URL`). */
  readonly mode: 'embedded' | 'external' | 'joined';
  readonly settings: Settings;
  /** The client application Swagger UI (`/docs`) signs in as. */
  readonly swaggerUiClientId: string;
  /** Embedded mode only: the emulator's client application, for app-only tokens (client credentials). */
  readonly appOnlyClient: { readonly clientId: string; readonly clientSecret: string } | undefined;
  /** Embedded mode only: the cases the demo prints as curl lines. */
  readonly curlCases: readonly CurlCase[];
  /** Embedded mode with `REDIS_URL`: the command that starts a second instance on the same Redis and emulator. */
  readonly joinCommand: string | undefined;
  close(): Promise<void>;
}

/** Embedded unless a tenant is configured: then it validates tokens of that real (or emulated) authority. */
export function isEmbedded(env: Environment): boolean {
  return variablesOf('tenantId').every((variable) => !env[variable]?.trim());
}

/**
 * `metricsExporter`: the Prometheus exporter of the OpenTelemetry SDK started before
 * (`startDemoTelemetry`, once per process), served at /metrics; without it there is no /metrics.
 */
export async function startDemoServer(
  env: Environment = process.env,
  metricsExporter?: PrometheusExporter,
): Promise<DemoServer> {
  const joining = isEmbedded(env) ? joinedEmulatorUrl(env) : undefined;
  const embedded = isEmbedded(env) && joining === undefined;
  const emulator = embedded ? await EntraEmulator.start() : undefined;
  // Listening first: the embedded demo's resource identifier (RFC 9728) is the URL it serves at.
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  const container = rootContainer.createChildContainer();
  // Embedded: "Administrators" is an alias of the emulator's group, and group overage is resolved
  // through the emulator's Graph with the API's client secret, as a real tenant would be.
  // External: what "Administrators" means is the operator's to say (GROUP_ALIASES, or
  // GROUP_NAMES_IN_TOKENS for a tenant that emits names); without either, the library's startup
  // check refuses the route, naming both. Never assumed: with names trusted, whoever can name a
  // group "Administrators" in the tenant would be an administrator of the demo.
  const emulatorUrl = emulator?.baseUrl ?? joining;
  const settingsInput: SettingsInput = emulatorUrl ? { ...emulatorSettings(emulatorUrl), resourceUrl: url } : {};
  let settings: Settings;
  let swaggerUiClientId: string;
  try {
    registerEntraAuth(container, { settings: settingsInput, env });
    if (metricsExporter) container.register(PrometheusExporter, { useValue: metricsExporter });
    settings = container.resolve(Settings);
    if (settings.clientCredential) {
      container.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
    }
    // Swagger UI signs in as a client application: the emulator's, or in external mode
    // SWAGGER_UI_CLIENT_ID (default: the API's own registration, which then needs
    // <url>/docs/oauth2-redirect.html as a SPA redirect URI).
    swaggerUiClientId = emulatorUrl ? clientAppId : swaggerUiClientIdOf(env, settings);
    const controllers = metricsExporter ? [...DEMO_CONTROLLERS, MetricsController] : DEMO_CONTROLLERS;
    server.on('request', demoApp(container, settings, swaggerUiClientId, controllers).callback());
  } catch (error) {
    // A configuration error: stop what was started, and let the caller report it.
    server.close();
    await emulator?.close();
    throw error;
  }
  const cache = container.resolve(JwksCache);
  // Fetch the keys now so the first request is fast; an authority outage must not stop the start.
  void cache.loadJwks('2.0').catch(() => undefined);

  const curlCases: CurlCase[] = emulator
    ? [
        {
          label: 'member → /user/profile',
          expectedStatus: 200,
          path: '/user/profile',
          token: emulator.mintAccessToken(),
        },
        {
          label: 'member → /admin/users',
          expectedStatus: 403,
          path: '/admin/users',
          token: emulator.mintAccessToken(),
        },
        {
          label: 'administrator → /admin/users',
          expectedStatus: 200,
          path: '/admin/users',
          token: emulator.mintAccessToken({ user: emulator.users.administrator }),
        },
        {
          label: 'administrator in 250 groups (overage, resolved through Graph) → /admin/users',
          expectedStatus: 200,
          path: '/admin/users',
          token: emulator.mintAccessToken({ user: emulator.users.overageAdministrator }),
        },
        {
          label: 'administrator without step-up → /admin/audit-log (claims challenge for authContext c1)',
          expectedStatus: 401,
          path: '/admin/audit-log',
          token: emulator.mintAccessToken({ user: emulator.users.administrator }),
        },
        {
          label: 'administrator after step-up (acrs c1) → /admin/audit-log',
          expectedStatus: 200,
          path: '/admin/audit-log',
          token: emulator.mintAccessToken({ user: emulator.users.administrator, authContexts: ['c1'] }),
        },
        {
          label: 'guest of the tenant → /user/profile (guests refused by default)',
          expectedStatus: 403,
          path: '/user/profile',
          token: emulator.mintAccessToken({ user: emulator.users.guest, acct: true }),
        },
        {
          label: 'app-only client → /tenant/info',
          expectedStatus: 200,
          path: '/tenant/info',
          token: emulator.mintAccessToken({ appOnly: true }),
        },
        { label: 'no token → /user/profile', expectedStatus: 401, path: '/user/profile', token: undefined },
        {
          label: 'expired token → /user/profile',
          expectedStatus: 401,
          path: '/user/profile',
          token: emulator.mintAccessToken({ claims: expiredClaims(Math.floor(Date.now() / 1000)) }),
        },
        {
          label: 'protected resource metadata (RFC 9728) → /.well-known/oauth-protected-resource',
          expectedStatus: 200,
          path: '/.well-known/oauth-protected-resource',
          token: undefined,
        },
        ...revocationCases(emulator),
      ]
    : [];

  const revocations = container.resolve(RevocationList);
  const store = container.resolve(SharedStore);
  return {
    url,
    mode: embedded ? 'embedded' : joining ? 'joined' : 'external',
    swaggerUiClientId,
    appOnlyClient: emulator && { clientId: emulator.clientAppId, clientSecret: emulator.clientAppSecret },
    settings,
    curlCases,
    joinCommand: emulator && settings.redis ? joinCommand(emulator, env) : undefined,
    async close() {
      cache.close();
      revocations.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      await emulator?.close();
    },
  };
}

/** The settings that make an app validate the tokens of the emulator at `baseUrl`, as a tenant of its own. */
function emulatorSettings(baseUrl: string): SettingsInput {
  return {
    tenantId: primaryTenant.id,
    audiences: [apiClientId],
    jwksUrlTemplate: `${baseUrl}/{}/v2.0/.well-known/openid-configuration`,
    groupAliases: { Administrators: administratorsGroupId },
    clientSecret: EMULATOR_CLIENT_SECRET,
    graphUrl: baseUrl,
  };
}

function joinedEmulatorUrl(env: Environment): string | undefined {
  const text = env[JOIN_VARIABLE]?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.pathname !== '/') {
    throw new ConfigurationError([
      `${JOIN_VARIABLE}: expected the emulator URL another demo instance prints (http://127.0.0.1:<port>)`,
    ]);
  }
  return url.origin;
}

/**
 * The member's sessions revoked by an admin tool holding the app role `Sessions.Revoke`: the
 * member's tokens, minted before, are refused from then on, with a claims challenge for the
 * client that declared the CAE capability (`xms_cc: ["cp1"]`).
 */
function revocationCases(emulator: EntraEmulator): CurlCase[] {
  const member = emulator.users.member;
  const caeToken = emulator.mintAccessToken({ clientCapabilities: ['cp1'] });
  return [
    {
      label: 'CAE-capable client (xms_cc cp1), member → /user/profile',
      expectedStatus: 200,
      path: '/user/profile',
      token: caeToken,
    },
    {
      label: "admin tool (app role Sessions.Revoke) revokes the member's sessions → POST /admin/revocations",
      expectedStatus: 200,
      path: '/admin/revocations',
      token: emulator.mintAccessToken({ appOnly: true, roles: ['Sessions.Revoke'] }),
      body: JSON.stringify({ tenantId: emulator.tenants.primary.id, userId: member.oid }),
    },
    {
      label: 'the same CAE-capable token after the revocation → /user/profile (claims challenge: insufficient_claims)',
      expectedStatus: 401,
      path: '/user/profile',
      token: caeToken,
    },
    {
      label: 'another member token, minted before the revocation → /user/profile (invalid_token, session_revoked)',
      expectedStatus: 401,
      path: '/user/profile',
      token: emulator.mintAccessToken(),
    },
  ];
}

/** A second instance on the same Redis and emulator; the Redis variables by reference, so no password is printed. */
function joinCommand(emulator: EntraEmulator, env: Environment): string {
  const storeVariables = [
    ...variablesOf('redis'),
    ...variablesOf('redisKeyPrefix'),
    ...variablesOf('storeTimeoutMs'),
  ].filter((variable) => env[variable]?.trim());
  const forwarded = storeVariables.map((variable) => `${variable}="$${variable}"`);
  return ['PORT=3001', `${JOIN_VARIABLE}=${emulator.baseUrl}`, ...forwarded, 'npm run demo'].join(' ');
}

/** Issued two hours ago, for one hour: expired well beyond the default five minutes of leeway. */
function expiredClaims(now: number): Record<string, number> {
  return { iat: now - 7200, nbf: now - 7200, exp: now - 3600 };
}

/** The API, behind the OpenAPI document and Swagger UI and, with RESOURCE_URL, its RFC 9728 metadata. */
function demoApp(
  container: DependencyContainer,
  settings: Settings,
  swaggerUiClientId: string,
  controllers: readonly Function[],
): Koa {
  const app = new Koa();
  // Where OAuth clients (MCP clients among them) learn how to get a token for this API.
  if (settings.resourceUrl !== undefined) {
    const scopesSupported = settings.clientId ? [`api://${settings.clientId}/access_as_user`] : undefined;
    app.use(serveProtectedResourceMetadata(container, { scopesSupported, resourceName: 'entra-auth-middleware demo' }));
  }
  app.use(serveSwaggerUi(demoDocument(container), { clientId: swaggerUiClientId }));
  useEntraAuth(app, container, { controllers: [...controllers] });
  return app;
}

/** External mode: SWAGGER_UI_CLIENT_ID, else the API's own application id. */
function swaggerUiClientIdOf(env: Environment, settings: Settings): string {
  const clientId = env.SWAGGER_UI_CLIENT_ID?.trim() || settings.clientId;
  if (clientId === undefined) {
    throw new ConfigurationError([
      "SWAGGER_UI_CLIENT_ID: the demo's Swagger UI signs in as a client application: set its application id, or configure the API's application id (a GUID audience)",
    ]);
  }
  return clientId;
}

export function curlLine(url: string, curlCase: CurlCase): string {
  const auth = curlCase.token ? ` -H "Authorization: Bearer ${curlCase.token}"` : '';
  const post = curlCase.body === undefined ? '' : ` -X POST -H "Content-Type: application/json" -d '${curlCase.body}'`;
  return `curl -i${post}${auth} ${url}${curlCase.path}`;
}

/** What the demo validates against: every setting (secrets never shown), then what follows from them. */
export function describeConfiguration(settings: Settings): string[] {
  const described = describeSettings(settings);
  const width = Math.max(...described.map(({ key }) => key.length)) + 1;
  const column = (label: string): string => `${label}:`.padEnd(width);
  return [
    ...described.map(({ key, value }) => `${column(key)} ${value}`),
    `${column('discovery (v2)')} ${settings.discoveryUrl('2.0')}`,
    `${column('discovery (v1)')} ${settings.discoveryUrl('1.0')}`,
    ...(settings.resourceUrl === undefined
      ? []
      : [`${column('resource metadata')} ${resourceMetadataUrl(settings.resourceUrl)}`]),
    `${column('groups overage')} ${settings.clientCredential ? `Microsoft Graph at ${settings.graphUrl} with the client ${settings.clientCredential.kind}, cached ${settings.groupsCacheTtl} s` : `403 groups_overage (no ${variablesOf('clientCredential').join(' or ')})`}`,
    // An alias wins over a name in tokens, so the warning holds only for a name without one.
    ...(settings.groupNamesInTokens && !Object.hasOwn(settings.groupAliases, 'Administrators')
      ? [
          `${variablesOf('groupNamesInTokens')[0]}=true: whoever can name a group "Administrators" in the tenant is an administrator here`,
        ]
      : []),
  ];
}
