import type { Context, Next } from 'koa';
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { requireGroups, requireRoles } from '../../src/routing-controllers';
import { administratorsGroupId, apiClientId, primaryTenant } from '../../src/testing';

// Routes with every shape of requirement the OpenAPI document states, shared by the tests of the
// document and the test that the checker decides as the document says.

export const API = apiClientId;
export const TENANT = primaryTenant.id;
export const ADMINISTRATORS = administratorsGroupId;
export const AUDITORS = '6c0a2b41-93f5-4e2a-8d1c-0b7e5f3a9c12';
/** An authority host that is no Microsoft host: the document only names it, nothing fetches it. */
export const AUTHORITY = 'https://login.entra-emulator.test';

async function auditTrail(_ctx: Context, next: Next): Promise<void> {
  await next();
}

@JsonController('/documented')
export class DocumentedController {
  @Get('/open')
  open() {
    return {};
  }

  @Authorized()
  @Get('/any')
  any() {
    return {};
  }

  @Authorized(['Administrators', 'role:Reports.Write', 'permission:reports.export', 'Domain Admins'])
  @Get('/mixed')
  mixed() {
    return {};
  }

  @Authorized(['scope:Reports.Read', 'scope:Reports.ReadWrite'])
  @Get('/scopes')
  scopes() {
    return {};
  }

  @Authorized([ADMINISTRATORS.toUpperCase(), AUDITORS])
  @Get('/object-ids')
  objectIds() {
    return {};
  }

  @Authorized(['scope:Reports.Read'])
  @UseBefore(requireGroups(['Administrators']))
  @Get('/scope-and-guard')
  scopeAndGuard() {
    return {};
  }

  @UseBefore(requireRoles(['Tenant.Read.All']))
  @Get('/guard-only')
  guardOnly() {
    return {};
  }

  @UseBefore(auditTrail)
  @Get('/custom-only')
  customOnly() {
    return {};
  }

  @Authorized()
  @UseBefore(auditTrail)
  @Get('/custom-and-authorized')
  customAndAuthorized() {
    return {};
  }

  @Authorized()
  @Get('/reports/:id(\\d+)')
  report() {
    return {};
  }
}

@Authorized(['role:Class.Role'])
@JsonController('/class-level')
export class ClassLevelController {
  @Get('/inherits')
  inherits() {
    return {};
  }

  @Authorized(['role:Method.Role'])
  @Get('/widened')
  widened() {
    return {};
  }
}

@JsonController('/typo')
export class TypoController {
  @Authorized(['admin:Reports'])
  @Get('/route')
  route() {
    return {};
  }
}

export const DOCUMENTED_CONTROLLERS = [DocumentedController, ClassLevelController];
