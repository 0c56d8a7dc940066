import { issuerOfTenant } from './issuer-template';
import { ownMember } from '../json-object';

/**
 * The `issuer` members a key set gives each kid it lists, read from every entry, usable or not:
 * an entry dropped as unusable must not drop its binding with it. A kid listed without an issuer
 * maps to an empty list (listed, unbound).
 */
export function readKeyIssuers(document: unknown): ReadonlyMap<string, readonly unknown[]> {
  const issuers = new Map<string, unknown[]>();
  const entries = typeof document === 'object' && document !== null ? ownMember(document, 'keys') : undefined;
  if (!Array.isArray(entries)) return issuers;
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const kid = ownMember(entry, 'kid');
    if (typeof kid !== 'string') continue;
    const bound = issuers.get(kid) ?? [];
    const issuer = ownMember(entry, 'issuer');
    if (issuer !== undefined) bound.push(issuer);
    issuers.set(kid, bound);
  }
  return issuers;
}

/**
 * "Validate the signing key issuer" (docs: rule 7): a key bound to issuer K signs only for K, with
 * the token's tenant substituted for `{tenantid}`. A v1 token is also accepted under the v2 issuer
 * of its tenant, because Entra binds keys with v2 issuers (Microsoft.IdentityModel's
 * AadTokenValidationParametersExtension does the same). Every binding must hold: a kid bound twice
 * to different issuers signs for nobody.
 */
export function satisfiesKeyIssuers(
  bindings: readonly unknown[],
  token: { readonly issuer: string; readonly tenantId: string; readonly v2Issuer?: string },
): boolean {
  return bindings.every((binding) => {
    if (typeof binding !== 'string') return false;
    const keyIssuer = issuerOfTenant(binding, token.tenantId);
    return keyIssuer === token.issuer || (token.v2Issuer !== undefined && keyIssuer === token.v2Issuer);
  });
}
