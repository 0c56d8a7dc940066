import type { HttpClient, HttpResponse } from '../../../src';

const AUTHORITY = 'https://login.microsoftonline.com';

/**
 * login.microsoftonline.com for one tenant, answered from memory through the injectable
 * HttpClient: the real discovery URLs and documents (v2 issuer `<authority>/<tid>/v2.0`, v1 issuer
 * `https://sts.windows.net/<tid>/`) and one published key. The tenant's v2 key set binds the key to
 * the tenant's v2 issuer, as Entra does for a tenant's own keys; its v1 key set names no issuer.
 * Nothing here reaches the network: any other URL is answered 404 and remembered.
 */
export class MicrosoftInMemory implements HttpClient {
  readonly unservedUrls: string[] = [];
  private readonly documents: ReadonlyMap<string, unknown>;

  /** `keyIssuer`: the issuer the v2 key set binds the key to; default the tenant's own v2 issuer. */
  constructor(tenantId: string, jwk: Readonly<Record<string, unknown>>, keyIssuer?: string) {
    // A captured key set may bind the key to another tenant or to the common endpoint's template.
    const unbound = Object.fromEntries(Object.entries(jwk).filter(([name]) => name !== 'issuer'));
    const v2Issuer = `${AUTHORITY}/${tenantId}/v2.0`;
    this.documents = new Map<string, unknown>([
      [
        `${AUTHORITY}/${tenantId}/v2.0/.well-known/openid-configuration`,
        discoveryDocument(tenantId, '/v2.0', v2Issuer),
      ],
      [`${AUTHORITY}/${tenantId}/discovery/v2.0/keys`, { keys: [{ ...unbound, issuer: keyIssuer ?? v2Issuer }] }],
      [
        `${AUTHORITY}/${tenantId}/.well-known/openid-configuration`,
        discoveryDocument(tenantId, '', `https://sts.windows.net/${tenantId}/`),
      ],
      [`${AUTHORITY}/${tenantId}/discovery/keys`, { keys: [unbound] }],
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
function discoveryDocument(tenantId: string, versionPath: '/v2.0' | '', issuer: string): Record<string, unknown> {
  const oauth2 = `${AUTHORITY}/${tenantId}/oauth2${versionPath}`;
  return {
    token_endpoint: `${oauth2}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${AUTHORITY}/${tenantId}/discovery${versionPath}/keys`,
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
