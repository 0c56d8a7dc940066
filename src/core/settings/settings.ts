import type { ClaimsChallengeAuthority } from '../errors';
import { isGuid } from '../guid';
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

  /** The discovery document URL for one token version, with `?appid=` for custom signing keys. */
  discoveryUrl(version: TokenVersion): string {
    const v2 = this.jwksUrlTemplate.replace('{}', encodeURIComponent(this.tenantId));
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
    const tenant = tenantId ?? (this.isMultiTenant ? 'common' : this.tenantId);
    const url = new URL(this.jwksUrlTemplate.replace('{}', encodeURIComponent(tenant)));
    const authorityPath = url.pathname.slice(0, url.pathname.indexOf('/v2.0/'));
    return `${url.origin}${authorityPath}/oauth2/v2.0/${name}`;
  }

  /** What a claims challenge names: the tenant (`""` for a multi-tenant app) and its authorize endpoint. */
  get claimsChallengeAuthority(): ClaimsChallengeAuthority {
    return { realm: this.isMultiTenant ? '' : this.tenantId, authorizationUri: this.oauth2Endpoint('authorize') };
  }
}

declareValidation(Settings);
