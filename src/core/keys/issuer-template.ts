/** Multi-tenant discovery documents and key sets name issuers with this placeholder for the tenant. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/** The concrete issuer of one tenant under an issuer that may be a `{tenantid}` template. */
export function issuerOfTenant(issuer: string, tenantId: string): string {
  return issuer.replace(TENANT_PLACEHOLDER, tenantId);
}
