import { GUID_SOURCE, findGuid } from '../guid';
import { TENANT_PLACEHOLDER } from './issuer-template';
import type { HttpClient } from '../http-client';
import { ownMember, parseJsonObject } from '../json-object';
import { readKeyIssuers } from './key-issuer-binding';
import type { Settings, TokenVersion } from '../settings/settings';
import { selectUsableKeys, type SigningKey } from './signing-key';

/** The parts of an OpenID Connect discovery document that validation depends on. */
export interface OpenIdConfig {
  /** `M` of rule 7: a concrete issuer (single tenant) or a `{tenantid}` template (multi-tenant). */
  readonly issuer: string;
  readonly jwksUri: string;
}

/** A discovery document with the usable keys of its key set. */
export interface KeySet {
  readonly config: OpenIdConfig;
  readonly keys: ReadonlyMap<string, SigningKey>;
  /** Every kid the key set lists, with the issuers it binds the kid to (v2 key sets bind). */
  readonly keyIssuers: ReadonlyMap<string, readonly unknown[]>;
  readonly fetchedAt: number;
  /** The order in which the cache started its fetches, across versions: which set saw the authority later. */
  readonly sequence: number;
}

/** Why a discovery or key-set fetch was refused: stable codes for health reports and events. */
export type KeySetFailure =
  | 'network_error'
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'invalid_json'
  | 'invalid_discovery'
  | 'jwks_uri_off_authority'
  | 'discovery_changed'
  | 'invalid_key_set'
  | 'no_usable_keys'
  | 'tenant_not_found';

export class KeySetFetchError extends Error {
  constructor(
    readonly failure: KeySetFailure,
    /** The status of the answer that failed, for `http_status`. */
    readonly httpStatus?: number,
  ) {
    super(`key set fetch failed: ${failure}`);
  }
}

/** The failure code of whatever a fetch rejected with: anything unforeseen counts as a network error. */
export function keySetFailureOf(error: unknown): KeySetFailure {
  return error instanceof KeySetFetchError ? error.failure : 'network_error';
}

/**
 * One discovery document, then its key set, each checked before anything is trusted. A document
 * whose issuer or `jwks_uri` differs from the held one is refused as insane: Microsoft does not
 * move them, and an attacker who briefly controls the response would like to.
 */
export async function fetchKeySet(
  settings: Settings,
  http: HttpClient,
  version: TokenVersion,
  held: KeySet | undefined,
  now: number,
  sequence: number,
): Promise<KeySet> {
  const config = parseDiscovery(settings, version, await fetchJson(settings, http, settings.discoveryUrl(version)));
  if (held && (config.issuer !== held.config.issuer || config.jwksUri !== held.config.jwksUri)) {
    throw new KeySetFetchError('discovery_changed');
  }
  const document = await fetchJson(settings, http, config.jwksUri);
  const keys = selectUsableKeys(document, config.issuer);
  if (!keys) throw new KeySetFetchError('invalid_key_set');
  if (keys.size === 0) throw new KeySetFetchError('no_usable_keys');
  return { config, keys, keyIssuers: readKeyIssuers(document), fetchedAt: now, sequence };
}

function parseDiscovery(settings: Settings, version: TokenVersion, document: unknown): OpenIdConfig {
  if (typeof document !== 'object' || document === null) throw new KeySetFetchError('invalid_discovery');
  const issuer = ownMember(document, 'issuer');
  const jwksUri = ownMember(document, 'jwks_uri');
  if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || !issuerHasExpectedShape(settings, version, issuer)) {
    throw new KeySetFetchError('invalid_discovery');
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(jwksUri);
  } catch {
    throw new KeySetFetchError('invalid_discovery');
  }
  // The key set decides who may sign tokens: it must come from the authority we were told to trust.
  if (jwksUrl.origin !== settings.authorityOrigin || jwksUrl.username || jwksUrl.password) {
    throw new KeySetFetchError('jwks_uri_off_authority');
  }
  return { issuer, jwksUri: jwksUrl.toString() };
}

/**
 * Multi-tenant documents carry a `{tenantid}` template; single-tenant ones name the tenant's GUID.
 * An External ID tenant's v2 issuer names it in host and path, `https://<GUID>.<host>/<GUID>/v2.0`
 * (Microsoft's is `https://<tenant-id>.ciamlogin.com/<tenant-id>/v2.0`), with one GUID in both.
 */
function issuerHasExpectedShape(settings: Settings, version: TokenVersion, issuer: string): boolean {
  if (settings.isMultiTenant) return issuer.includes(TENANT_PLACEHOLDER);
  const tenantGuid = version === '2.0' && settings.isExternalId ? externalIdIssuerTenant(issuer) : findGuid(issuer);
  if (!tenantGuid) return false;
  return !findGuid(settings.tenantId) || tenantGuid.toLowerCase() === settings.tenantId.toLowerCase();
}

const EXTERNAL_ID_ISSUER = new RegExp(`^https://(${GUID_SOURCE})\\.[^/?#@]+/(${GUID_SOURCE})/v2\\.0$`, 'i');

/** The tenant GUID an External ID issuer names in both its host and its path, else `undefined`. */
export function externalIdIssuerTenant(issuer: string): string | undefined {
  const match = EXTERNAL_ID_ISSUER.exec(issuer);
  return match && match[1]!.toLowerCase() === match[2]!.toLowerCase() ? match[1] : undefined;
}

async function fetchJson(settings: Settings, http: HttpClient, url: string): Promise<unknown> {
  let response;
  try {
    response = await http.get(url, { timeoutMs: settings.httpTimeoutMs, maxBytes: settings.httpMaxBytes });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new KeySetFetchError(code === 'timeout' || code === 'too_large' ? code : 'network_error');
  }
  if (response.status !== 200) {
    if (isTenantNotFound(response.status, response.body))
      throw new KeySetFetchError('tenant_not_found', response.status);
    throw new KeySetFetchError('http_status', response.status);
  }
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new KeySetFetchError('invalid_json');
  }
}

/**
 * Entra's answer for a tenant it does not know (a typo'd GUID or domain): 400 with
 * `"error": "invalid_tenant"` and error code 90002 (AADSTS90002). A configuration error, not an
 * outage: docs/design.md#d63.
 */
function isTenantNotFound(status: number, body: Buffer): boolean {
  if (status !== 400) return false;
  const answer = parseJsonObject(body);
  if (!answer) return false;
  const codes = answer['error_codes'];
  return answer['error'] === 'invalid_tenant' || (Array.isArray(codes) && codes.includes(90002));
}
