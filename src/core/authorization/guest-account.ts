import { ownClaim, type EntraIdClaims } from '../token/claims';
import { sameGuid } from '../guid';

/** The tenant of personal Microsoft accounts: its users are its own, whatever `idp` says. */
const PERSONAL_ACCOUNTS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * The v1 issuers Microsoft writes into `idp` beside a v2 `iss` (public cloud and US Government,
 * China), exactly as Microsoft writes them (only the GUID's case is free, as everywhere). Hosts only
 * Microsoft controls: a federation partner chooses its own issuer URI, and can put any tenant's
 * GUID into it.
 */
const MICROSOFT_V1_ISSUER =
  /^https:\/\/(?:sts\.windows\.net|sts\.chinacloudapi\.cn)\/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\/$/;

/**
 * Whether a user token is a guest's, by Entra's own signals (docs/design.md#d73, #d84): the
 * optional claim `acct` is 1 (a guest of the tenant), or `idp`, the identity provider that
 * authenticated the user, is present and is not an issuer of the token's own tenant: exactly `iss`,
 * or Microsoft's v1 issuer of `tid` (which v2 tokens carry). Anything else is another tenant (a B2B
 * guest), a personal account, Google, a one-time passcode or a federation partner. In an External
 * ID tenant the customers themselves sign in through other identity providers, so there only `acct`
 * marks a guest; so in the tenant of personal Microsoft accounts, whose users are its own. App-only
 * tokens have no user, so no guest.
 */
export function isGuestAccount(claims: EntraIdClaims, isAppOnly: boolean, externalId: boolean): boolean {
  if (isAppOnly) return false;
  if (ownClaim(claims, 'acct') === 1) return true;
  const idp = ownClaim(claims, 'idp');
  const tenantId = ownClaim(claims, 'tid');
  if (externalId || typeof idp !== 'string' || typeof tenantId !== 'string') return false;
  if (sameGuid(tenantId, PERSONAL_ACCOUNTS_TENANT) || idp === ownClaim(claims, 'iss')) return false;
  const v1IssuerTenant = MICROSOFT_V1_ISSUER.exec(idp)?.[1];
  return v1IssuerTenant === undefined || !sameGuid(v1IssuerTenant, tenantId);
}
