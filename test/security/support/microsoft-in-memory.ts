import type { HttpClient, HttpResponse } from '../../../src';

/** Where a tenant's documents live and which issuers they name (a national cloud, an External ID tenant). */
export interface CloudOptions {
  /** The authority origin; default `https://login.microsoftonline.com`. */
  readonly authority?: string;
  /** The tenant as the authority's paths name it; default the tenant id. */
  readonly tenantSegment?: string;
  /** Default `<authority>/<tenant id>/v2.0`. */
  readonly v2Issuer?: string;
  /** Default `https://sts.windows.net/<tenant id>/`. */
  readonly v1Issuer?: string;
}

/**
 * login.microsoftonline.com (or another authority) for one tenant, answered from memory through
 * the injectable HttpClient: the real discovery URLs and documents (v2 issuer
 * `<authority>/<tid>/v2.0`, v1 issuer `https://sts.windows.net/<tid>/` unless the cloud names
 * others) and one published key. The tenant's v2 key set binds the key to the tenant's v2 issuer,
 * as Entra does for a tenant's own keys; its v1 key set names no issuer. Nothing here reaches the
 * network: any other URL is answered 404 and remembered.
 */
export class MicrosoftInMemory implements HttpClient {
  readonly unservedUrls: string[] = [];
  private readonly documents: ReadonlyMap<string, unknown>;

  /** `keyIssuer`: the issuer the v2 key set binds the key to; default the tenant's own v2 issuer. */
  constructor(tenantId: string, jwk: Readonly<Record<string, unknown>>, keyIssuer?: string, cloud: CloudOptions = {}) {
    // A captured key set may bind the key to another tenant or to the common endpoint's template.
    const unbound = Object.fromEntries(Object.entries(jwk).filter(([name]) => name !== 'issuer'));
    const authority = `${cloud.authority ?? 'https://login.microsoftonline.com'}/${cloud.tenantSegment ?? tenantId}`;
    const v2Issuer = cloud.v2Issuer ?? `${cloud.authority ?? 'https://login.microsoftonline.com'}/${tenantId}/v2.0`;
    this.documents = new Map<string, unknown>([
      [`${authority}/v2.0/.well-known/openid-configuration`, discoveryDocument(authority, '/v2.0', v2Issuer)],
      [`${authority}/discovery/v2.0/keys`, { keys: [{ ...unbound, issuer: keyIssuer ?? v2Issuer }] }],
      [
        `${authority}/.well-known/openid-configuration`,
        discoveryDocument(authority, '', cloud.v1Issuer ?? `https://sts.windows.net/${tenantId}/`),
      ],
      [`${authority}/discovery/keys`, { keys: [unbound] }],
    ]);
  }

  async get(url: string): Promise<HttpResponse> {
    const document = this.documents.get(url);
    if (document === undefined) {
      this.unservedUrls.push(url);
      return { status: 404, body: Buffer.alloc(0) };
    }
    return { status: 200, body: Buffer.from(JSON.stringify(document)) };
  }
}

/** The members Microsoft's tenant documents carry that concern tokens (`/v2.0` or `` for v1). */
function discoveryDocument(authority: string, versionPath: '/v2.0' | '', issuer: string): Record<string, unknown> {
  const oauth2 = `${authority}/oauth2${versionPath}`;
  return {
    token_endpoint: `${oauth2}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery${versionPath}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    authorization_endpoint: `${oauth2}/authorize`,
    end_session_endpoint: `${oauth2}/logout`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}
