// The JSON the emulator serves, shaped like Microsoft's documents so the library meets the same
// members (and the same quirks: issuer templates, issuers on v2 keys only) as in production.
import type { TokenVersion } from '../core/settings/settings';

/** What Entra writes where the tenant id goes in multi-tenant (common/organizations) metadata. */
export const TENANT_ID_PLACEHOLDER = '{tenantid}';

/**
 * The v1 token issuer host. Distinct from the login host on purpose, like Microsoft's
 * `https://sts.windows.net/`, so code that derives v1 issuers from the authority host fails here too.
 */
export const V1_ISSUER_ORIGIN = 'https://sts.entra-emulator.test';

/**
 * Where the v2 issuers of External ID tenants live: they name the tenant in host and path, like
 * Microsoft's `https://<tenant-id>.ciamlogin.com/<tenant-id>/v2.0`, under a reserved test domain
 * (an issuer is compared, never fetched, so it need not be served).
 */
export const EXTERNAL_ID_ISSUER_DOMAIN = 'ciamlogin.entra-emulator.test';

/**
 * `tenantId` is a tenant GUID, or {@link TENANT_ID_PLACEHOLDER} for multi-tenant metadata and
 * key-set templates; `externalId` for an External ID tenant's v2 issuer.
 */
export function issuerFor(version: TokenVersion, baseUrl: string, tenantId: string, externalId = false): string {
  if (version === '1.0') return `${V1_ISSUER_ORIGIN}/${tenantId}/`;
  return externalId
    ? `https://${tenantId}.${EXTERNAL_ID_ISSUER_DOMAIN}/${tenantId}/v2.0`
    : `${baseUrl}/${tenantId}/v2.0`;
}

export interface DiscoveryRequest {
  readonly version: TokenVersion;
  readonly baseUrl: string;
  /** The tenant path segment exactly as requested (GUID, domain, common or organizations). */
  readonly tenantSegment: string;
  /** The tenant GUID, or {@link TENANT_ID_PLACEHOLDER} for common/organizations. */
  readonly issuerTenant: string;
  /** Echoed into `jwks_uri`, as Entra does for apps with custom signing keys. */
  readonly appId: string | undefined;
  /** An External ID tenant: its own issuer shape. */
  readonly externalId: boolean;
}

export function discoveryDocument(request: DiscoveryRequest): Record<string, unknown> {
  const { version, baseUrl, tenantSegment, issuerTenant, appId, externalId } = request;
  const authority = `${baseUrl}/${tenantSegment}`;
  const appQuery = appId === undefined ? '' : `?appid=${encodeURIComponent(appId)}`;
  const multiTenant = issuerTenant === TENANT_ID_PLACEHOLDER;
  const common = {
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    // Microsoft serves null for common/organizations: there is no single region.
    tenant_region_scope: multiTenant ? null : 'EU',
    cloud_instance_name: 'entra-emulator.test',
    cloud_graph_host_name: 'graph.entra-emulator.test',
    msgraph_host: 'graph.entra-emulator.test',
  };
  if (version === '2.0') {
    return {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      jwks_uri: `${authority}/discovery/v2.0/keys${appQuery}`,
      issuer: issuerFor('2.0', baseUrl, issuerTenant, externalId),
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
      request_uri_parameter_supported: false,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      ...common,
    };
  }
  return {
    token_endpoint: `${authority}/oauth2/token`,
    jwks_uri: `${authority}/discovery/keys${appQuery}`,
    issuer: issuerFor('1.0', baseUrl, issuerTenant),
    authorization_endpoint: `${authority}/oauth2/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/devicecode`,
    end_session_endpoint: `${authority}/oauth2/logout`,
    check_session_iframe: `${authority}/oauth2/checksession`,
    userinfo_endpoint: `${authority}/openid/userinfo`,
    microsoft_multi_refresh_token: true,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'nonce',
      'email',
      'given_name',
      'family_name',
      'nickname',
    ],
    ...common,
  };
}

/** A key as Entra publishes it (minus `x5c`: the emulator has no certificates). */
export interface PublishedJwk {
  readonly kty: 'RSA';
  readonly use: 'sig';
  readonly kid: string;
  readonly x5t: string;
  readonly n: string;
  readonly e: string;
  /** v2 key sets only: the issuer tokens signed with this key must carry (may hold the placeholder). */
  readonly issuer?: string;
}

/** The public parts of a signing key that a key set needs. */
export interface PublicRsaKey {
  readonly kid: string;
  readonly n: string;
  readonly e: string;
}

export function publishedJwk({ kid, n, e }: PublicRsaKey, issuer: string | undefined): PublishedJwk {
  const jwk: PublishedJwk = { kty: 'RSA', use: 'sig', kid, x5t: kid, n, e };
  return issuer === undefined ? jwk : { ...jwk, issuer };
}
