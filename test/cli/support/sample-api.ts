// An API whose controllers match the emulator's app registration: what `--app` loads in the CLI
// tests (the spawned CLI imports the compiled module to read its routes).
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { requireScopes } from '../../../src/routing-controllers';

@JsonController('/admin')
export class AdminController {
  @Authorized(['Administrators'])
  @Get('/users')
  users() {
    return [];
  }

  @Authorized(['Administrators', 'authContext:c1'])
  @Get('/audit-log')
  auditLog() {
    return [];
  }
}

@JsonController()
export class ProfileController {
  @Authorized()
  @Get('/user/profile')
  profile() {
    return {};
  }

  @Get('/status')
  status() {
    return 'ok';
  }
}

@JsonController('/tenant')
@Authorized(['role:Tenant.Read.All'])
export class TenantController {
  @Get('/info')
  info() {
    return {};
  }

  @UseBefore(requireScopes(['access_as_user']))
  @Get('/settings/:name')
  setting() {
    return {};
  }
}
