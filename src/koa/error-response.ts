import type { Context } from 'koa';
import { authErrorResponse, type ErrorResponse, type ErrorResponseOptions } from '../core/error-response';
import type { EntraAuthError } from '../core/errors';

/** Copies a response built by the core (docs/design.md#responses) onto Koa's. */
export function writeErrorResponse(ctx: Context, response: ErrorResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
}

/** Writes the response of docs/design.md#responses for a refusal. */
export function writeAuthErrorResponse(ctx: Context, error: EntraAuthError, options: ErrorResponseOptions = {}): void {
  writeErrorResponse(ctx, authErrorResponse(error, options));
}
