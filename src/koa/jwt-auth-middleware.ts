import type { Context, Next } from 'koa';
import { inject, injectable } from 'tsyringe';
import { EntraIdProvider } from '../core/token/entra-id-provider';
import type { EntraIdUser } from '../core/authorization/entra-id-user';
import { errorResponse, type ErrorResponseOptions } from '../core/error-response';
import { resourceMetadataUrl } from '../core/resource-metadata/protected-resource-metadata';
import { Logger } from '../core/telemetry/logger';
import { Settings } from '../core/settings/settings';
import { SYNTHETIC_ACCESS_TOKEN, warnAuthenticationDisabled } from '../core/token/synthetic-user';
import { writeErrorResponse } from './error-response';

/** What the middleware leaves on `ctx.state`: the verified user under both common names. */
export interface EntraAuthState {
  currentUser?: EntraIdUser;
  user?: EntraIdUser;
}

/**
 * Verifies the bearer token of every request, once, and puts the user on `ctx.state.currentUser`
 * and `ctx.state.user`. No bearer credentials: the request goes on anonymous, and guards decide.
 * A bearer token that fails is answered 401 even on open routes: bad credentials are never
 * ignored. Register it before the routes (before `useKoaServer`): it also turns every refusal
 * raised further down into its response (docs/design.md#responses).
 */
@injectable()
export class JwtAuthMiddleware {
  constructor(
    @inject(EntraIdProvider) private readonly provider: EntraIdProvider,
    @inject(Settings) private readonly settings: Settings,
    @inject(Logger) logger: Logger,
  ) {
    if (settings.middlewareDisabled) warnAuthenticationDisabled(logger);
    this.responseOptions =
      settings.resourceUrl === undefined ? {} : { resourceMetadataUrl: resourceMetadataUrl(settings.resourceUrl) };
  }

  /** What every refusal's response adds from the settings (RFC 9728's `resource_metadata`). */
  private readonly responseOptions: ErrorResponseOptions;

  /** The Koa middleware function: `app.use(container.resolve(JwtAuthMiddleware).handle)`. */
  readonly handle = async (ctx: Context, next: Next): Promise<void> => {
    try {
      const user = this.settings.middlewareDisabled
        ? this.provider.createUserFromToken(SYNTHETIC_ACCESS_TOKEN)
        : await this.authenticate(ctx);
      if (user) {
        const state = ctx.state as EntraAuthState;
        state.currentUser = user;
        state.user = user;
      }
      await next();
    } catch (error) {
      const response = errorResponse(error, this.responseOptions);
      if (!response) throw error;
      writeErrorResponse(ctx, response);
    }
  };

  private async authenticate(ctx: Context): Promise<EntraIdUser | undefined> {
    const verified = await this.provider.verifyRequest(ctx.req.rawHeaders);
    return verified && this.provider.createUserFromToken(verified);
  }
}
