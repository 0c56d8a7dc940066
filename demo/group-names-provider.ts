import type { EntraIdClaims, GroupsProvider } from '../src';

/**
 * Tokens carry group object ids; `@Authorized(["Administrators"])` names a group. The embedded demo
 * bridges the two with its own GroupsProvider, registered with `container.register`: the same way
 * an application plugs in a directory lookup of its own.
 */
export class GroupNamesProvider implements GroupsProvider {
  constructor(private readonly namesById: ReadonlyMap<string, string>) {}

  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    const ids = Array.isArray(claims.groups) ? (claims.groups as string[]) : [];
    return [...ids, ...ids.flatMap((id) => this.namesById.get(id.toLowerCase()) ?? [])];
  }
}
