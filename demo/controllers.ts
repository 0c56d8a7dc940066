import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import type { EntraIdUser } from '../src';

/** The routes of the original package's examples. */
@JsonController()
export class UserController {
  @Authorized()
  @Get('/user/profile')
  async profile(@CurrentUser() user: EntraIdUser) {
    return { id: user.id, name: user.name, email: user.email, tenantId: user.tenantId, roles: user.roles };
  }
}

@JsonController()
export class AdminController {
  @Authorized(['Administrators'])
  @Get('/admin/users')
  async users() {
    return { users: [{ name: 'Megan Member' }, { name: 'Adele Admin' }] };
  }
}

@JsonController()
export class TenantController {
  @Authorized()
  @Get('/tenant/info')
  async info(@CurrentUser() user: EntraIdUser) {
    return { tenantId: user.tenantId, clientId: user.clientId, isAppOnly: user.isAppOnly };
  }
}

@JsonController()
export class HealthController {
  @Get('/health')
  async health() {
    return { status: 'ok' };
  }
}

export const DEMO_CONTROLLERS = [UserController, AdminController, TenantController, HealthController];
