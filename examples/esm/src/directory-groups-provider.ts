import { injectable } from 'tsyringe';
import type { EntraIdClaims, GroupsProvider } from 'entra-auth-middleware';
import { Directory } from './directory.js';

/**
 * Groups from your own directory instead of the token's groups claim. It answers group names, so
 * the app sets GROUP_NAMES_IN_TOKENS=true (`groupNamesInTokens`).
 */
@injectable()
export class DirectoryGroupsProvider implements GroupsProvider {
  constructor(private readonly directory: Directory) {}

  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    return this.directory.groupsOf(claims.tid, claims.oid);
  }
}
