// Which request is which: Microsoft's paths, and the tenant names Entra accepts in them.
import type { TokenVersion } from '../core/settings/settings';
import { TENANT_ID_PLACEHOLDER } from './emulator-documents';
import type { EndpointKind } from './emulator-faults';
import { primaryTenant, secondaryTenant } from './emulator-identities';

export interface Route {
  readonly kind: EndpointKind;
  readonly version: TokenVersion;
  /** The tenant path segment as requested, not yet validated. */
  readonly tenantSegment: string;
}

// `[^/]+` takes any tenant segment: an unknown tenant must get Entra's 400, not a 404.
const ROUTES: ReadonlyArray<{ pattern: RegExp; kind: EndpointKind; version: TokenVersion }> = [
  { pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, kind: 'discovery', version: '2.0' },
  { pattern: /^\/([^/]+)\/\.well-known\/openid-configuration$/, kind: 'discovery', version: '1.0' },
  { pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys$/, kind: 'keys', version: '2.0' },
  { pattern: /^\/([^/]+)\/discovery\/keys$/, kind: 'keys', version: '1.0' },
];

const MULTI_TENANT_NAMES = ['common', 'organizations'];
const TENANTS = [primaryTenant, secondaryTenant];

export function matchRoute(path: string): Route | undefined {
  for (const { pattern, kind, version } of ROUTES) {
    const tenantSegment = pattern.exec(path)?.[1];
    if (tenantSegment !== undefined) return { kind, version, tenantSegment };
  }
  return undefined;
}

export function isMultiTenantName(tenant: string): boolean {
  return MULTI_TENANT_NAMES.includes(tenant.toLowerCase());
}

/**
 * The tenant GUID a path segment names (GUID or domain, any case), {@link TENANT_ID_PLACEHOLDER}
 * for common/organizations, or `undefined` for a tenant the emulator does not host.
 */
export function issuerTenantOf(segment: string): string | undefined {
  if (isMultiTenantName(segment)) return TENANT_ID_PLACEHOLDER;
  const name = segment.toLowerCase();
  return TENANTS.find((tenant) => tenant.id === name || tenant.domain === name)?.id;
}

/** Known domains become their GUID; anything else (foreign tenants, hostile values) passes verbatim. */
export function tenantIdForToken(tenantId: string): string {
  const name = tenantId.toLowerCase();
  return TENANTS.find((tenant) => tenant.domain === name)?.id ?? tenantId;
}
