import { GUID_PATTERN } from '../guid';

/** `AUTHORITY_TYPE` of an Entra External ID (customer identity, CIAM) tenant. */
export const EXTERNAL_ID = 'external_id';

/** A tenant named by its bare subdomain (`contoso` of `contoso.ciamlogin.com`), as External ID names it. */
const BARE_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const ONMICROSOFT_DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.onmicrosoft\.com$/i;

export function isBareSubdomain(tenant: string): boolean {
  return BARE_SUBDOMAIN.test(tenant) && !GUID_PATTERN.test(tenant);
}

/**
 * The tenant as an External ID authority URL names it: a bare subdomain is its
 * `<subdomain>.onmicrosoft.com` domain, as MSAL reads `https://<subdomain>.ciamlogin.com/`.
 */
export function externalIdTenantPath(tenant: string): string {
  return isBareSubdomain(tenant) && !['common', 'organizations'].includes(tenant.toLowerCase())
    ? `${tenant}.onmicrosoft.com`
    : tenant;
}

/**
 * The default discovery URL template of an External ID tenant: its own host under ciamlogin.com,
 * `https://<subdomain>.ciamlogin.com/{}/v2.0/.well-known/openid-configuration`, the subdomain
 * being the tenant's (given bare or as `<subdomain>.onmicrosoft.com`) or its GUID (Entra serves
 * `<tenant-id>.ciamlogin.com` too). `undefined` for a tenant named by another domain: its host
 * (a custom URL domain) cannot be guessed.
 */
export function externalIdDiscoveryTemplate(tenant: unknown): string | undefined {
  if (typeof tenant !== 'string') return undefined;
  const subdomain =
    GUID_PATTERN.test(tenant) || isBareSubdomain(tenant) ? tenant : ONMICROSOFT_DOMAIN.exec(tenant)?.[1];
  return subdomain === undefined
    ? undefined
    : `https://${subdomain.toLowerCase()}.ciamlogin.com/{}/v2.0/.well-known/openid-configuration`;
}
