import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { injectable } from 'tsyringe';
import type { EntraIdUser } from 'entra-auth-middleware';
import { ReportStore, type Report } from './report-store';

@JsonController()
export class ProfileController {
  // Any verified caller; 401 without a token.
  @Authorized()
  @Get('/me')
  me(@CurrentUser() user: EntraIdUser) {
    return { id: user.id, name: user.name, tenantId: user.tenantId, roles: user.roles, scopes: user.scopes };
  }
}

@JsonController()
export class AdminController {
  // A group: a name that GROUP_ALIASES maps to the group's object id (tokens carry object ids).
  @Authorized(['Administrators'])
  @Get('/admin/users')
  users() {
    return [];
  }
}

@injectable()
@JsonController()
export class ReportsController {
  constructor(private readonly reports: ReportStore) {}

  // A permission the custom PermissionsProvider grants (from the app role Reports.Reader).
  @Authorized(['permission:reports.read'])
  @Get('/reports')
  list(@CurrentUser() user: EntraIdUser): Report[] {
    return this.reports.list(user.tenantId);
  }
}
