import { injectable } from 'tsyringe';
import type { EntraIdClaims, PermissionsProvider } from 'entra-auth-middleware';

/** What each app role of the API's registration allows. */
const PERMISSIONS_BY_ROLE: Readonly<Record<string, readonly string[]>> = {
  'Reports.Reader': ['reports.read'],
  'Reports.Admin': ['reports.read', 'reports.write'],
};

/** `@Authorized(['permission:reports.read'])` asks this provider, on first use per request. */
@injectable()
export class RolePermissionsProvider implements PermissionsProvider {
  async fetchPermissions(claims: EntraIdClaims): Promise<readonly string[]> {
    return (claims.roles ?? []).flatMap((role) => PERMISSIONS_BY_ROLE[role] ?? []);
  }
}
