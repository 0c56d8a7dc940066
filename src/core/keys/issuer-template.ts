/** Multi-tenant discovery documents and key sets name issuers with this placeholder for the tenant. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * The concrete issuer of one tenant under an issuer that may be a `{tenantid}` template. Every
 * placeholder is filled: an External ID issuer names its tenant twice, in host and path
 * (`https://{tenantid}.ciamlogin.com/{tenantid}/v2.0`), and Microsoft.IdentityModel replaces all.
 */
export function issuerOfTenant(issuer: string, tenantId: string): string {
  return issuer.replaceAll(TENANT_PLACEHOLDER, tenantId);
}
