import type { EntraIdUser } from '../core/authorization/entra-id-user';
import { EntraAuthError, type ReasonCode } from '../core/errors';
import type { GroupAliases } from '../core/authorization/group-aliases';
import { hasGroupsOverage } from '../core/token/claims';
import { sameGuid } from '../core/guid';

/** The user `createUserFromToken` builds, as explain prints it: personal fields only when asked. */
export interface UserView {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: 'app-only' | 'delegated';
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly groups: GroupsView;
  readonly permissions: readonly string[] | { readonly unavailable: ReasonCode };
  /** Only with --show-personal. */
  readonly name?: string;
  readonly email?: string;
}

/** What the groups provider answers (on overage the token lists none and the provider decides), or why it cannot. */
export interface GroupsView {
  readonly overage: boolean;
  readonly values?: readonly GroupEntry[];
  readonly unavailable?: ReasonCode;
}

/** A group object id, with the GROUP_ALIASES names that stand for it. */
export interface GroupEntry {
  readonly id: string;
  readonly aliases: readonly string[];
}

export async function viewOfUser(user: EntraIdUser, showPersonal: boolean): Promise<UserView> {
  const overage = hasGroupsOverage(user.claims);
  const groups = await answerOf(user.groups);
  const permissions = await answerOf(user.permissions);
  const groupEntries = (ids: readonly string[]) => ids.map((id) => ({ id, aliases: aliasesOf(id, user.groupAliases) }));
  return {
    id: user.id,
    tenantId: user.tenantId,
    kind: user.isAppOnly ? 'app-only' : 'delegated',
    clientId: user.clientId,
    scopes: user.scopes,
    roles: user.roles,
    groups: isList(groups) ? { overage, values: groupEntries(groups) } : { overage, unavailable: groups.unavailable },
    permissions,
    ...(showPersonal ? { name: user.name, email: user.email } : {}),
  };
}

/** A provider's answer, or the reason it refused (groups_overage, groups_unavailable). */
async function answerOf(
  promise: Promise<readonly string[]>,
): Promise<readonly string[] | { readonly unavailable: ReasonCode }> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof EntraAuthError) return { unavailable: error.reason };
    throw error;
  }
}

function isList(answer: readonly string[] | { readonly unavailable: ReasonCode }): answer is readonly string[] {
  return Array.isArray(answer);
}

function aliasesOf(id: string, aliases: GroupAliases): string[] {
  return Object.entries(aliases)
    .filter(([, objectId]) => sameGuid(objectId, id))
    .map(([name]) => name);
}
