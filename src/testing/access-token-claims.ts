// The header and claims of minted access tokens, shaped like the tokens Entra issues to an API,
// so the library is tested against the members (and omissions) it will meet in production.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type { RsaAlgorithm, TokenVersion } from '../core/settings/settings';
import {
  apiClientId,
  clientAppId,
  clientAppServicePrincipalId,
  memberUser,
  type EmulatorUser,
} from './emulator-identities';
import { GROUPS_CLAIM_LIMIT, overageClaims } from './emulator-directory';

export interface MintOptions {
  /** Default '2.0'. */
  version?: TokenVersion;
  /**
   * Default the primary tenant's GUID. A known tenant domain becomes its GUID; anything else is
   * used verbatim (foreign tenants, hostile values).
   */
  tenantId?: string;
  /** Default the member user; ignored when `appOnly`. */
  user?: EmulatorUser;
  /**
   * A client-credentials token: `idtyp` 'app', no `scp`, no user names, and `oid` / `sub` are the
   * client's service principal.
   */
  appOnly?: boolean;
  /** Default the API's client id (v2) or `api://<client id>` (v1). Any JSON value, for hostile tests. */
  audience?: unknown;
  /** Default ['access_as_user'] for user tokens, none for app-only; an empty list omits `scp`. */
  scopes?: readonly string[];
  /** Default none for users, ['Tenant.Read.All'] for app-only; an empty list omits `roles`. */
  roles?: readonly string[];
  /**
   * Default the user's groups (none for app-only); an empty list omits `groups`. More than 200
   * give Entra's overage claims (`_claim_names` / `_claim_sources`) instead.
   */
  groups?: readonly string[];
  /**
   * Conditional Access authentication contexts the user satisfied (`acrs`, e.g. `['c1']`); default
   * none (no `acrs`). Ignored when `appOnly`.
   */
  authContexts?: readonly string[];
  /**
   * Adds Entra's optional claim `acct`, as for an app that configured it: 1 for a guest (a user
   * with an `idp`), 0 for a member. Ignored when `appOnly`.
   */
  acct?: boolean;
  /** Client capabilities the client declared (`xms_cc`, e.g. `['cp1']`); default none. */
  clientCapabilities?: readonly string[];
  /** Default 3600. `iat` = `nbf` = now in whole seconds from the emulator's clock. */
  lifetimeSeconds?: number;
  /** Merged last over the defaults; a member whose value is `undefined` is deleted. */
  claims?: Record<string, unknown>;
  /** Merged over `{ typ: 'JWT', alg, kid }`; a member whose value is `undefined` is deleted. */
  header?: Record<string, unknown>;
  /**
   * Default the current kid. Selects the signing key when the emulator ever published that kid;
   * any other value only labels the header (the current key signs).
   */
  kid?: string;
  /** Signs with this private key instead of the emulator's (tokens from an attacker's key). */
  signingKey?: KeyObject;
  /** The algorithm actually used to sign; default 'RS256'. */
  alg?: RsaAlgorithm;
  /**
   * A token Entra issues for Microsoft Graph, not for the API: v1 by default (Graph's tokens are),
   * `aud` Graph (`https://graph.microsoft.com` in v1, Graph's application id in v2), delegated
   * scope `User.Read`, and a `nonce` header whose SHA-256 was signed in its place, so that only
   * Graph can verify it: a standard JWS verifier, this library included, finds the signature invalid.
   */
  microsoftGraph?: boolean;
}

/** Microsoft Graph's application id: the `aud` of v2 tokens for Graph. */
export const GRAPH_APPLICATION_ID = '00000003-0000-0000-c000-000000000000';

/** The defaults of a token for Microsoft Graph, under what the caller set. */
export function graphTokenOptions(options: MintOptions): MintOptions {
  const version = options.version ?? '1.0';
  return {
    ...options,
    version,
    audience: options.audience ?? (version === '1.0' ? 'https://graph.microsoft.com' : GRAPH_APPLICATION_ID),
    scopes: options.scopes ?? (options.appOnly ? [] : ['User.Read']),
  };
}

/** What claim building needs from the emulator, resolved beforehand. */
export interface ClaimContext {
  readonly nowSeconds: number;
  /** Tenant GUID (or a foreign tenant id verbatim). */
  readonly tenantId: string;
  readonly issuer: string;
}

export function accessTokenHeader(options: MintOptions, kid: string): Record<string, unknown> {
  return mergeOver({ typ: 'JWT', alg: options.alg ?? 'RS256', kid }, options.header);
}

export function accessTokenClaims(options: MintOptions, context: ClaimContext): Record<string, unknown> {
  const version = options.version ?? '2.0';
  const appOnly = options.appOnly === true;
  const user = options.user ?? memberUser;
  const iat = context.nowSeconds;
  const subject = appOnly ? clientAppServicePrincipalId : pairwiseSubject(user.oid);
  const oid = appOnly ? clientAppServicePrincipalId : user.oid;
  const scopes = options.scopes ?? (appOnly ? [] : ['access_as_user']);
  const roles = options.roles ?? (appOnly ? ['Tenant.Read.All'] : []);
  const groups = options.groups ?? (appOnly ? [] : user.groups);
  // Optional members are left out rather than emptied, as Entra does.
  const scp = scopes.length > 0 ? { scp: scopes.join(' ') } : {};
  const extras = {
    ...(roles.length > 0 ? { roles: [...roles] } : {}),
    ...(groups.length > GROUPS_CLAIM_LIMIT
      ? overageClaims(context.tenantId, oid)
      : groups.length > 0
        ? { groups: [...groups] }
        : {}),
    ...(appOnly ? { idtyp: 'app' } : {}),
    ...(!appOnly && user.idp !== undefined ? { idp: user.idp } : {}),
    ...(!appOnly && options.acct ? { acct: user.idp === undefined ? 0 : 1 } : {}),
    ...(!appOnly && options.authContexts?.length ? { acrs: [...options.authContexts] } : {}),
    ...(options.clientCapabilities?.length ? { xms_cc: [...options.clientCapabilities] } : {}),
  };
  const times = { iat, nbf: iat, exp: iat + (options.lifetimeSeconds ?? 3600) };

  const defaults =
    version === '2.0'
      ? {
          aud: options.audience ?? apiClientId,
          iss: context.issuer,
          ...times,
          aio: opaque(48),
          azp: clientAppId,
          // azpacr/appidacr: 0 = public client (user sign-in), 1 = client secret (client credentials).
          azpacr: appOnly ? '1' : '0',
          ...(appOnly ? {} : { name: user.name }),
          oid,
          ...(appOnly ? {} : { preferred_username: user.preferredUsername }),
          rh: `0.${opaque(40)}.`,
          ...scp,
          sub: subject,
          tid: context.tenantId,
          uti: opaque(16),
          ver: '2.0',
          ...extras,
        }
      : {
          aud: options.audience ?? `api://${apiClientId}`,
          iss: context.issuer,
          ...times,
          ...(appOnly ? {} : { acr: '1' }),
          aio: opaque(48),
          ...(appOnly ? {} : { amr: ['pwd'] }),
          appid: clientAppId,
          appidacr: appOnly ? '1' : '0',
          ...(appOnly ? {} : { name: user.name }),
          oid,
          ...scp,
          sub: subject,
          tid: context.tenantId,
          ...(appOnly ? {} : { unique_name: user.upn, upn: user.upn }),
          uti: opaque(16),
          ver: '1.0',
          ...extras,
        };
  return mergeOver(defaults, options.claims);
}

/**
 * `overrides` over `base`; `undefined` deletes. Members are defined, not assigned, so a hostile
 * `__proto__` claim becomes a real member instead of changing the object's prototype.
 */
export function mergeOver(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete result[name];
    else Object.defineProperty(result, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Entra's `sub` is pairwise (per user and client app): stable, and unrelated to `oid`. */
function pairwiseSubject(oid: string): string {
  return createHash('sha256').update(`${oid}:${clientAppId}`).digest('base64url').slice(0, 43);
}

/** Stands in for Entra's opaque internal values (`aio`, `rh`, `uti`): random, so tokens differ. */
function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
