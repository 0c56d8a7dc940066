import {
  type AuthParam,
  EntraAuthError,
  MissingTokenException,
  type ReasonCode,
  TemporarilyUnavailableException,
} from './errors';

/** The body of every error response: `reason` for the library's own refusals only. */
export interface ErrorResponseBody {
  readonly error: string;
  readonly error_description: string;
  readonly reason?: ReasonCode;
}

/** An error response free of any framework: an adapter copies status, headers and body as they are. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ErrorResponseBody;
}

/** What the app adds to every error response, from its settings. */
export interface ErrorResponseOptions {
  /**
   * The app's protected resource metadata URL (RFC 9728, from `RESOURCE_URL`): every 401
   * challenge then names it as `resource_metadata`, so that an OAuth client discovers where to
   * get a token (docs/design.md#protected-resource-metadata).
   */
  readonly resourceMetadataUrl?: string;
}

/**
 * The response of docs/design.md#responses for a refusal: RFC 6750 status, `WWW-Authenticate`
 * from the error's challenge (with `resource_metadata` on a 401 when the app has one),
 * `Retry-After` for a temporary one, and a body of `error`, `error_description` (a fixed sentence
 * per reason) and `reason`. Nothing from the token or the request is ever echoed.
 */
export function authErrorResponse(error: EntraAuthError, options: ErrorResponseOptions = {}): ErrorResponse {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const { challenge } = error;
  const metadata: AuthParam[] =
    options.resourceMetadataUrl !== undefined && error.status === 401
      ? [['resource_metadata', options.resourceMetadataUrl]]
      : [];
  if (challenge) headers['WWW-Authenticate'] = bearerChallenge([['realm', error.realm], ...challenge, ...metadata]);
  if (error instanceof TemporarilyUnavailableException) {
    headers['Retry-After'] = String(Math.max(1, error.retryAfterSeconds));
  }
  return {
    status: error.status,
    headers,
    body: { error: error.error, error_description: error.description, reason: error.reason },
  };
}

/**
 * The response for anything a request can end in: a refusal as {@link authErrorResponse}; another
 * framework's HTTP error (routing-controllers' `httpCode`, http-errors' `status`) as its status
 * with a plain body, never its default body with its stack trace, and a 401 from elsewhere (such
 * as `@CurrentUser({ required: true })` without a user) as no credentials sent. `undefined` for
 * anything else, which the adapter rethrows for the application's own error handling.
 */
export function errorResponse(error: unknown, options: ErrorResponseOptions = {}): ErrorResponse | undefined {
  if (error instanceof EntraAuthError) return authErrorResponse(error, options);
  const status = httpStatusOf(error);
  if (status === undefined) return undefined;
  if (status === 401) return authErrorResponse(new MissingTokenException(), options);
  const message = (error as { message?: unknown }).message;
  return {
    status,
    headers: {},
    body: {
      error: status >= 500 ? 'server_error' : 'request_error',
      error_description: status < 500 && typeof message === 'string' ? message : 'The request could not be completed.',
    },
  };
}

/** Values are fixed sentences, codes and scope names; quoting is escaped all the same (RFC 9110 §5.6.4). */
function bearerChallenge(params: readonly AuthParam[]): string {
  return `Bearer ${params.map(([name, value]) => `${name}="${value.replace(/[\\"]/g, '\\$&')}"`).join(', ')}`;
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { httpCode, status } = error as { httpCode?: unknown; status?: unknown };
  const code = typeof httpCode === 'number' ? httpCode : status;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : undefined;
}
