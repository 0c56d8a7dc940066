import type { Context } from 'koa';
import {
  AuthorizationException,
  type EntraAuthError,
  MissingTokenException,
  TemporarilyUnavailableException,
} from '../core/errors';

const REALM = 'Bearer realm="api"';

/**
 * Writes the response of docs/design.md#responses for a refusal: RFC 6750 status, `WWW-Authenticate` and a body of
 * `error`, `error_description` (a fixed sentence per reason) and `reason`. Nothing from the token
 * or the request is ever echoed.
 */
export function writeAuthErrorResponse(ctx: Context, error: EntraAuthError): void {
  ctx.status = error.status;
  ctx.set('Cache-Control', 'no-store');
  const challenge = challengeFor(error);
  if (challenge) ctx.set('WWW-Authenticate', challenge);
  if (error instanceof TemporarilyUnavailableException) {
    ctx.set('Retry-After', String(Math.max(1, error.retryAfterSeconds)));
  }
  ctx.body = { error: error.error, error_description: error.description, reason: error.reason };
}

function challengeFor(error: EntraAuthError): string | undefined {
  if (error instanceof MissingTokenException) return REALM;
  if (error.status === 401) {
    return `${REALM}, error="invalid_token", error_description="${error.description}"`;
  }
  if (error instanceof AuthorizationException && error.reason === 'insufficient_scope') {
    return `${REALM}, error="insufficient_scope", scope="${error.requiredScopes.join(' ')}"`;
  }
  return undefined;
}

/**
 * Other frameworks' HTTP errors (routing-controllers' `httpCode`, http-errors' `status`): their
 * status with a plain body, never their default body with its stack trace. A 401 from elsewhere
 * (such as `@CurrentUser({ required: true })` without a user) means no credentials were sent.
 * Anything else is rethrown for the application's own error handling.
 */
export function writeHttpErrorResponse(ctx: Context, error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return false;
  if (status === 401) {
    writeAuthErrorResponse(ctx, new MissingTokenException());
    return true;
  }
  ctx.status = status;
  const message = (error as { message?: unknown }).message;
  ctx.body = {
    error: status >= 500 ? 'server_error' : 'request_error',
    error_description: status < 500 && typeof message === 'string' ? message : 'The request could not be completed.',
  };
  return true;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { httpCode, status } = error as { httpCode?: unknown; status?: unknown };
  const code = typeof httpCode === 'number' ? httpCode : status;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}
