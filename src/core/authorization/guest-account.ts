import { ownClaim, type EntraIdClaims } from '../token/claims';
import { findGuid, sameGuid } from '../guid';

/** The tenant of personal Microsoft accounts: its users are its own, whatever `idp` says. */
const PERSONAL_ACCOUNTS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * Whether a user token is a guest's, by Entra's own signals (docs/design.md#d73): the optional claim
 * `acct` is 1 (a guest of the tenant), or `idp`, the identity provider that authenticated the user,
 * is not the token's tenant: another tenant (a B2B guest, whose `idp` is its home tenant's issuer)
 * or no tenant at all (a personal Microsoft account, Google, a one-time passcode). `idp` is read as
 * the tenant it names rather than compared with `iss`, since v2 tokens carry the v1 form
 * (`https://sts.windows.net/<tid>/`) beside a v2 `iss`. In an External ID tenant the customers
 * themselves sign in through other identity providers, so there only `acct` marks a guest; so in
 * the tenant of personal Microsoft accounts, whose users are its own. App-only tokens have no
 * user, so no guest.
 */
export function isGuestAccount(claims: EntraIdClaims, isAppOnly: boolean, externalId: boolean): boolean {
  if (isAppOnly) return false;
  if (ownClaim(claims, 'acct') === 1) return true;
  const idp = ownClaim(claims, 'idp');
  const tenantId = ownClaim(claims, 'tid');
  if (externalId || typeof idp !== 'string' || typeof tenantId !== 'string') return false;
  if (sameGuid(tenantId, PERSONAL_ACCOUNTS_TENANT)) return false;
  const idpTenant = findGuid(idp);
  return idpTenant === undefined || !sameGuid(idpTenant, tenantId);
}
