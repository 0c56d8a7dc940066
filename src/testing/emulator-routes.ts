// Which request is which: Microsoft's paths, and the tenant names Entra accepts in them.
import type { TokenVersion } from '../core/settings/settings';
import { TENANT_ID_PLACEHOLDER } from './emulator-documents';
import { externalTenant, otherExternalTenant, primaryTenant, secondaryTenant } from './emulator-identities';

/** The Graph resources served: a user's transitive groups, the groups, the API's application object. */
export type GraphResource = 'memberships' | 'groups' | 'application';

/** What a path names: the endpoint kind (counters and faults are kept per kind) and the one method it answers. */
type Endpoint =
  | { readonly kind: 'discovery' | 'keys'; readonly method: 'GET'; readonly version: TokenVersion }
  /** Browsers post to it cross-origin: it answers CORS preflights (`OPTIONS`) too. */
  | { readonly kind: 'token'; readonly method: 'POST'; readonly corsPreflight: true }
  | { readonly kind: 'authorize'; readonly method: 'GET' }
  | { readonly kind: 'graph'; readonly method: 'GET'; readonly resource: GraphResource };

export type Route = Endpoint & {
  /**
   * The path's variable segment as requested, not yet validated: the tenant, Graph's user id or
   * application id; empty for a path without one.
   */
  readonly segment: string;
};

// `[^/]+` takes any tenant segment: an unknown tenant must get Entra's 400, not a 404.
const ROUTES: ReadonlyArray<{ readonly pattern: RegExp; readonly endpoint: Endpoint }> = [
  {
    pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/,
    endpoint: { kind: 'discovery', method: 'GET', version: '2.0' },
  },
  {
    pattern: /^\/([^/]+)\/\.well-known\/openid-configuration$/,
    endpoint: { kind: 'discovery', method: 'GET', version: '1.0' },
  },
  { pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys$/, endpoint: { kind: 'keys', method: 'GET', version: '2.0' } },
  { pattern: /^\/([^/]+)\/discovery\/keys$/, endpoint: { kind: 'keys', method: 'GET', version: '1.0' } },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/, endpoint: { kind: 'token', method: 'POST', corsPreflight: true } },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, endpoint: { kind: 'authorize', method: 'GET' } },
  {
    pattern: /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/,
    endpoint: { kind: 'graph', method: 'GET', resource: 'memberships' },
  },
  { pattern: /^\/v1\.0\/groups$/, endpoint: { kind: 'graph', method: 'GET', resource: 'groups' } },
  {
    pattern: /^\/v1\.0\/applications\(appId=(?:'|%27)([^/']*?)(?:'|%27)\)$/,
    endpoint: { kind: 'graph', method: 'GET', resource: 'application' },
  },
];

const MULTI_TENANT_NAMES = ['common', 'organizations'];
const EXTERNAL_TENANTS = [externalTenant, otherExternalTenant];
const TENANTS = [primaryTenant, secondaryTenant, ...EXTERNAL_TENANTS];

export function matchRoute(path: string): Route | undefined {
  for (const { pattern, endpoint } of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { ...endpoint, segment: match[1] ?? '' };
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

/** Whether a tenant GUID is one of the emulator's External ID tenants. */
export function isExternalTenant(tenantId: string): boolean {
  return EXTERNAL_TENANTS.some((tenant) => tenant.id === tenantId.toLowerCase());
}
