import { injectable, type InjectionToken } from 'tsyringe';
import { stringClaim, stringListClaim, type EntraIdClaims } from '../token/claims';

/**
 * Where a caller's permissions come from. Also the tsyringe token: replace the default with
 * `container.register(PermissionsProvider, { useClass: MyPermissionsProvider })`.
 */
export interface PermissionsProvider {
  fetchPermissions(claims: EntraIdClaims): Promise<readonly string[]>;
}

export const PermissionsProvider: InjectionToken<PermissionsProvider> = Symbol('PermissionsProvider');

/** The default: app roles (`roles`) and delegated scopes (`scp`) together. */
@injectable()
export class ClaimsPermissionsProvider implements PermissionsProvider {
  async fetchPermissions(claims: EntraIdClaims): Promise<readonly string[]> {
    return [...new Set([...stringListClaim(claims, 'roles'), ...scopesOf(claims)])];
  }
}

export function scopesOf(claims: EntraIdClaims): readonly string[] {
  return (stringClaim(claims, 'scp') ?? '').split(' ').filter((scope) => scope.length > 0);
}
