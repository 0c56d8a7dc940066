import type { ClaimsChallengeAuthority } from '../errors';
import { isGuid } from '../guid';
import { EXTERNAL_ID, externalIdTenantPath } from './external-id';
import type { SettingsValues } from './settings-table';
import { declareValidation } from './settings-validation';

export { RSA_ALGORITHMS, type RsaAlgorithm } from './rsa-algorithms';
export type { SettingsInput } from './settings-table';

export type TokenVersion = '1.0' | '2.0';

const MULTI_TENANT_IDS = ['common', 'organizations'];

// Gives the class one typed field per row of the settings table; loadSettings assigns them.
const SettingsFields = class {} as new () => SettingsValues;

/**
 * The validated configuration, built by `loadSettings`: one readonly field per row of the settings
 * table (settings-table.ts; the README's Configuration table lists them). Immutable once loaded;
 * injected as a tsyringe token. Durations are seconds unless the name ends in `Ms`. Under
 * `AUTH_MIDDLEWARE_DISABLED` without a tenant, `tenantId` is the nil GUID (the synthetic user's
 * tenant) and `audiences` is empty.
 */
export class Settings extends SettingsFields {
  get isMultiTenant(): boolean {
    return MULTI_TENANT_IDS.includes(this.tenantId.toLowerCase());
  }

  /** An Entra External ID (CIAM) tenant: `AUTHORITY_TYPE=external_id`. */
  get isExternalId(): boolean {
    return this.authorityType === EXTERNAL_ID;
  }

  /**
   * The tenant as the authority's URLs name it: the configured tenant, except that an External ID
   * tenant given by its bare subdomain is `<subdomain>.onmicrosoft.com`.
   */
  get authorityTenant(): string {
    return this.isExternalId ? externalIdTenantPath(this.tenantId) : this.tenantId;
  }

  /** The discovery document URL for one token version, with `?appid=` for custom signing keys. */
  discoveryUrl(version: TokenVersion): string {
    const v2 = this.jwksUrlTemplate.replace('{}', encodeURIComponent(this.authorityTenant));
    const url = new URL(version === '2.0' ? v2 : v2.replace('/v2.0/', '/'));
    if (this.signingKeysAppId) url.searchParams.set('appid', this.signingKeysAppId);
    return url.toString();
  }

  /** The API's application (client) id: the first GUID audience; Graph lookups authenticate as it. */
  get clientId(): string | undefined {
    return this.audiences.find(isGuid);
  }

  /** Scheme, host and port of the authority: key sets must be served from here. */
  get authorityOrigin(): string {
    return new URL(this.discoveryUrl('2.0')).origin;
  }

  /**
   * The authority's OAuth 2.0 endpoint for a tenant (default: the configured one, `common` for a
   * multi-tenant app), e.g. `authorize` or `token`: the discovery URL with the tenant's path segment
   * followed by `oauth2/v2.0/<name>` instead of `v2.0/.well-known/…`, so a path before the tenant
   * segment (and the host) stay the discovery URL's.
   */
  oauth2Endpoint(name: 'authorize' | 'token', tenantId?: string): string {
    const tenant = tenantId ?? (this.isMultiTenant ? 'common' : this.authorityTenant);
    const url = new URL(this.jwksUrlTemplate.replace('{}', encodeURIComponent(tenant)));
    const authorityPath = url.pathname.slice(0, url.pathname.indexOf('/v2.0/'));
    return `${url.origin}${authorityPath}/oauth2/v2.0/${name}`;
  }

  /** What a claims challenge names: the tenant (`""` for a multi-tenant app) and its authorize endpoint. */
  get claimsChallengeAuthority(): ClaimsChallengeAuthority {
    return {
      realm: this.isMultiTenant ? '' : this.authorityTenant,
      authorizationUri: this.oauth2Endpoint('authorize'),
    };
  }
}

declareValidation(Settings);
