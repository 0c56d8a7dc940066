import type { Context } from 'koa';
import { Authorized, Ctx, CurrentUser, Get, JsonController } from 'routing-controllers';
import { ResponseSchema } from 'routing-controllers-openapi';
import { inject, injectable } from 'tsyringe';
import { JwksCache, type EntraIdUser } from '../src';
import { AdminUsers, TenantInfo, UserProfile } from './responses';

/** The routes of the original package's examples. */
@JsonController()
export class UserController {
  @Authorized()
  @Get('/user/profile')
  @ResponseSchema(UserProfile)
  async profile(@CurrentUser() user: EntraIdUser) {
    return { id: user.id, name: user.name, email: user.email, tenantId: user.tenantId, roles: user.roles };
  }
}

@JsonController()
export class AdminController {
  @Authorized(['Administrators'])
  @Get('/admin/users')
  @ResponseSchema(AdminUsers)
  async users() {
    return { users: [{ name: 'Megan Member' }, { name: 'Adele Admin' }] };
  }
}

/**
 * Step-up: administrators read the audit log only after satisfying the Conditional Access
 * authentication context c1 (say, phishing-resistant MFA); a token without it gets a claims
 * challenge, which MSAL turns into a new sign-in under that policy.
 */
@JsonController()
export class AuditController {
  @Authorized(['Administrators', 'authContext:c1'])
  @Get('/admin/audit-log')
  async auditLog() {
    return { entries: [{ action: 'role granted', by: 'Adele Admin' }] };
  }
}

@JsonController()
export class TenantController {
  @Authorized()
  @Get('/tenant/info')
  @ResponseSchema(TenantInfo)
  async info(@CurrentUser() user: EntraIdUser) {
    return { tenantId: user.tenantId, clientId: user.clientId, isAppOnly: user.isAppOnly };
  }
}

/** Open: 200 while tokens can be validated, 503 while they cannot, with the key cache's state. */
@injectable()
@JsonController()
export class HealthController {
  constructor(@inject(JwksCache) private readonly jwksCache: JwksCache) {}

  @Get('/health')
  async health(@Ctx() ctx: Context) {
    const health = this.jwksCache.health();
    ctx.status = health.healthy ? 200 : 503;
    return { status: health.healthy ? 'ok' : 'unavailable', ...health };
  }
}

export const DEMO_CONTROLLERS = [UserController, AdminController, AuditController, TenantController, HealthController];
