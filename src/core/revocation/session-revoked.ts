import { ClaimsChallengeException, InvalidTokenException, type EntraAuthError } from '../errors';
import type { Settings } from '../settings/settings';
import type { EntraIdClaims } from '../token/claims';
import { declaresCaeCapability } from './client-capabilities';

/**
 * The refusal of a revoked token (`session_revoked`, 401; docs/design.md, R5). A client that
 * declared the CAE capability gets a claims challenge asking for a token whose `nbf` reaches the
 * revocation's, so MSAL fetches one without the user's help; any other client gets
 * `invalid_token`, and its user signs in again.
 */
export function sessionRevoked(claims: EntraIdClaims, notBefore: number, settings: Settings): EntraAuthError {
  if (!declaresCaeCapability(claims)) return new InvalidTokenException('session_revoked');
  return new ClaimsChallengeException(
    'session_revoked',
    { nbf: { essential: true, value: String(notBefore) } },
    settings.claimsChallengeAuthority,
  );
}
