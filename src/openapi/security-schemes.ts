import type { Settings } from '../core/settings/settings';

/** The name of the OAuth 2.0 scheme (a sign-in with Entra ID) in `components.securitySchemes`. */
export const OAUTH2_SCHEME = 'entraId';
/** The name of the HTTP bearer scheme (a token pasted in) in `components.securitySchemes`. */
export const BEARER_SCHEME = 'entraIdBearer';

/** Where clients get tokens for this API, all derived from the settings. */
export interface EntraAuthority {
  /** `{authority}/{tenant}/oauth2/v2.0/authorize` (`common` for a multi-tenant API) */
  readonly authorizationUrl: string;
  /** `{authority}/{tenant}/oauth2/v2.0/token` */
  readonly tokenUrl: string;
  /**
   * The API's App ID URI, the prefix of its scopes: `api://<client id>` (the first GUID audience),
   * else the first audience that is a URI. `undefined` when no audience is configured
   * (AUTH_MIDDLEWARE_DISABLED): then no client can request a token for it.
   */
  readonly appIdUri: string | undefined;
}

/**
 * The authority's endpoints for the configured tenant, from JWKS_URL_TEMPLATE (national clouds and
 * the emulator included), as claims challenges name them: a multi-tenant API signs users in
 * through `common`.
 */
export function entraAuthority(settings: Settings): EntraAuthority {
  const clientId = settings.clientId;
  const appIdUri =
    clientId !== undefined
      ? `api://${clientId}`
      : settings.audiences.find((audience) => /^[a-z][a-z0-9+.-]*:\/\//i.test(audience))?.replace(/\/+$/, '');
  return {
    authorizationUrl: settings.oauth2Endpoint('authorize'),
    tokenUrl: settings.oauth2Endpoint('token'),
    appIdUri,
  };
}

/** `api://<client id>/<scope>`: what a client requests for a `scope:` entry. */
export function oauth2ScopeOf(authority: EntraAuthority, scope: string): string | undefined {
  return authority.appIdUri === undefined ? undefined : `${authority.appIdUri}/${scope}`;
}

/** `api://<client id>/.default`: every permission of this API consented for the client. */
export function defaultScopeOf(authority: EntraAuthority): string | undefined {
  return oauth2ScopeOf(authority, '.default');
}

/**
 * `components.securitySchemes`: an OAuth 2.0 scheme whose authorization-code flow (with PKCE, which
 * Entra requires of browser clients) offers `.default` plus every scope a `scope:` entry names, and
 * whose client-credentials flow is how app-only callers get their app roles; and an HTTP bearer
 * scheme for a token obtained elsewhere. No client id or secret: those belong to the client.
 */
export function securitySchemes(authority: EntraAuthority, scopes: readonly string[]): Record<string, unknown> {
  const bearer = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Microsoft Entra ID access token issued for this API (`Authorization: Bearer <token>`).',
  };
  const defaultScope = defaultScopeOf(authority);
  if (defaultScope === undefined) return { [BEARER_SCHEME]: bearer };
  const delegated: Record<string, string> = {
    [defaultScope]:
      'Every delegated permission of this API consented for the client: enough for operations that name no scope. Request it alone (Entra refuses it beside another scope of this API).',
  };
  for (const scope of scopes)
    delegated[oauth2ScopeOf(authority, scope)!] = `Delegated permission ${scope} of this API.`;
  return {
    [OAUTH2_SCHEME]: {
      type: 'oauth2',
      description:
        'Sign in with Microsoft Entra ID. Users: authorization code with PKCE (the client is a single-page application registration whose redirect URI is this page). App-only callers: client credentials; their app roles arrive in the `roles` claim.',
      flows: {
        authorizationCode: {
          authorizationUrl: authority.authorizationUrl,
          tokenUrl: authority.tokenUrl,
          scopes: delegated,
        },
        clientCredentials: {
          tokenUrl: authority.tokenUrl,
          scopes: { [defaultScope]: 'The app roles of this API granted to the client application.' },
        },
      },
    },
    [BEARER_SCHEME]: bearer,
  };
}

/**
 * The operation's `security` (docs/design.md, D41): alternatives, any one of which suffices (OpenAPI ORs requirement
 * objects and ANDs the scopes inside one). A set of `scope:` entries only means the token must hold
 * one of them, so it contributes one alternative per scope; a set with any other kind can be met
 * without a scope, so it contributes none. Sets are ANDed, hence the product. The bearer scheme
 * repeats each alternative with the `scp` values (OpenAPI 3.1 allows role names for non-OAuth
 * schemes), so neither scheme reads as "any token" where a scope is required.
 */
export function securityRequirements(
  authority: EntraAuthority,
  allOf: ReadonlyArray<{ readonly anyOf: ReadonlyArray<{ readonly kind: string; readonly value: string }> }>,
): Array<Record<string, string[]>> {
  let alternatives: string[][] = [[]];
  for (const set of allOf) {
    // A set of conditions only (`authContext:`, `app:`) requires no scope.
    const scopesOnly = set.anyOf.length > 0 && set.anyOf.every((requirement) => requirement.kind === 'scope');
    if (!scopesOnly) continue;
    alternatives = alternatives.flatMap((chosen) =>
      set.anyOf.map((requirement) => [...new Set([...chosen, requirement.value])]),
    );
  }
  const unique = [...new Map(alternatives.map((scopes) => [scopes.join(' '), scopes])).values()];
  const oauth2 =
    authority.appIdUri === undefined
      ? []
      : unique.map((scopes) => ({ [OAUTH2_SCHEME]: scopes.map((scope) => oauth2ScopeOf(authority, scope)!) }));
  return [...oauth2, ...unique.map((scopes) => ({ [BEARER_SCHEME]: scopes }))];
}
