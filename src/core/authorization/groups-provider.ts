import { injectable, type InjectionToken } from 'tsyringe';
import { hasGroupsOverage, stringListClaim, type EntraIdClaims } from '../token/claims';
import { AuthorizationException } from '../errors';

/**
 * Where a user's groups come from. Also the tsyringe token: replace the default with
 * `container.register(GroupsProvider, { useClass: MyGroupsProvider })`.
 */
export interface GroupsProvider {
  fetchGroups(claims: EntraIdClaims): Promise<readonly string[]>;
}

export const GroupsProvider: InjectionToken<GroupsProvider> = Symbol('GroupsProvider');

/**
 * The default: the token's `groups` claim. On groups overage the claim is absent because the user
 * is in too many groups; answering "no groups" would be a lie that silently denies, so it raises
 * `groups_overage` instead. The `_claim_sources` URLs are never followed: they are token-supplied.
 */
@injectable()
export class ClaimsGroupsProvider implements GroupsProvider {
  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    if (hasGroupsOverage(claims)) throw new AuthorizationException('groups_overage');
    return stringListClaim(claims, 'groups');
  }
}
