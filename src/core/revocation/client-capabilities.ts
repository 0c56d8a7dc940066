import { ownClaim, type EntraIdClaims } from '../token/claims';

/**
 * Whether the client declared the CAE capability (`cp1` in `xms_cc`, in any case; MSAL's
 * `clientCapabilities: ['cp1']`): such a client handles a claims challenge by asking Entra for a
 * new token, without the user starting over.
 */
export function declaresCaeCapability(claims: EntraIdClaims): boolean {
  const capabilities = ownClaim(claims, 'xms_cc');
  const isCp1 = (value: unknown): boolean => typeof value === 'string' && value.toLowerCase() === 'cp1';
  return Array.isArray(capabilities) ? capabilities.some(isCp1) : isCp1(capabilities);
}
