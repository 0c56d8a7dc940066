import type { Context } from 'koa';
import { Authorized, BadRequestError, Body, Ctx, CurrentUser, Get, JsonController, Post } from 'routing-controllers';
import { ResponseSchema } from 'routing-controllers-openapi';
import { inject, injectable } from 'tsyringe';
import { JwksCache, RevocationList, SharedStore, StoreUnavailableError, type EntraIdUser } from '../src';
import { isGuid } from '../src/core/guid';
import { AdminUsers, SessionsRevoked, TenantInfo, UserProfile } from './responses';

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

/** Revokes a user's sessions on every instance that shares the store (docs/design.md#revocation). */
@injectable()
@JsonController()
export class RevocationController {
  constructor(@inject(RevocationList) private readonly revocations: RevocationList) {}

  @Authorized(['role:Sessions.Revoke'])
  @Post('/admin/revocations')
  @ResponseSchema(SessionsRevoked)
  async revoke(@Body() body: unknown, @Ctx() ctx: Context) {
    const { tenantId, userId } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (!isGuid(tenantId) || !isGuid(userId)) {
      throw new BadRequestError('Expected {"tenantId": "<tenant GUID>", "userId": "<user object id>"}.');
    }
    try {
      const { notBefore } = await this.revocations.revokeUser(tenantId, userId);
      return { tenantId, userId, notBefore };
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      ctx.status = 503;
      ctx.set('Retry-After', '1');
      return { error: 'temporarily_unavailable', error_description: error.message };
    }
  }
}

/**
 * Open: 200 while tokens can be validated, 503 while they cannot, with the key cache's state; and
 * the shared store's and the revocation list's (a store outage changes no answer, so not the status).
 */
@injectable()
@JsonController()
export class HealthController {
  constructor(
    @inject(JwksCache) private readonly jwksCache: JwksCache,
    @inject(SharedStore) private readonly store: SharedStore,
    @inject(RevocationList) private readonly revocations: RevocationList,
  ) {}

  @Get('/health')
  async health(@Ctx() ctx: Context) {
    const health = this.jwksCache.health();
    ctx.status = health.healthy ? 200 : 503;
    return {
      status: health.healthy ? 'ok' : 'unavailable',
      ...health,
      store: this.store.health(),
      revocations: this.revocations.health(),
    };
  }
}

export const DEMO_CONTROLLERS = [
  UserController,
  AdminController,
  AuditController,
  TenantController,
  RevocationController,
  HealthController,
];
