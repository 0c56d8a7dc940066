// #region step-up
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { requireAuthContext } from 'entra-auth-middleware/routing-controllers';
// #endregion

// #region step-up
@JsonController('/admin')
export class AuditController {
  @Authorized(['Administrators', 'authContext:c1']) // administrators, after satisfying c1
  @Get('/audit-log')
  auditLog() {
    return [];
  }

  @UseBefore(requireAuthContext(['c1'])) // the same condition as a guard
  @Get('/exports')
  exports() {
    return [];
  }
}
// #endregion step-up
