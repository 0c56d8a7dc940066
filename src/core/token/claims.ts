import { ownMember } from '../json-object';

/** The verified claims of an access token: frozen, so nothing downstream can alter what was checked. */
export type EntraIdClaims = Readonly<Record<string, unknown>>;

/** A claim only when the payload itself holds it: never something inherited from a prototype. */
export function ownClaim(claims: EntraIdClaims, name: string): unknown {
  return ownMember(claims, name);
}

export function stringClaim(claims: EntraIdClaims, name: string): string | undefined {
  const value = ownClaim(claims, name);
  return typeof value === 'string' ? value : undefined;
}

export function stringListClaim(claims: EntraIdClaims, name: string): readonly string[] {
  const value = ownClaim(claims, name);
  return Array.isArray(value) ? (value as string[]) : [];
}

/** Groups overage: Entra left the groups out because there were too many to fit in a token. */
export function hasGroupsOverage(claims: EntraIdClaims): boolean {
  const claimNames = ownClaim(claims, '_claim_names');
  const overageByName = typeof claimNames === 'object' && claimNames !== null && Object.hasOwn(claimNames, 'groups');
  return overageByName || ownClaim(claims, 'hasgroups') === true;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
