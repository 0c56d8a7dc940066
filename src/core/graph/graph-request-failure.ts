import { HttpRequestError, type HttpResponse } from '../http-client';

/** Why a Graph or token request failed, for the back-off and for operator warnings. */
export class GraphRequestFailure extends Error {
  override readonly name = 'GraphRequestFailure';

  constructor(
    /** `throttled`, `status_<code>`, `invalid_response` or an HttpFailureCode. */
    readonly code: string,
    /** Seconds the service asked us to wait (`Retry-After` on 429 or 503), if it said. */
    readonly retryAfterSeconds?: number,
    /** The status of the answer that failed, when one came. */
    readonly httpStatus?: number,
  ) {
    super(`Graph group lookup failed: ${code}`);
  }
}

/**
 * Failures that say something about Graph or about the app in a tenant (throttling, outages,
 * credentials, consent, permission), as opposed to one user's lookup (unknown user, an odd
 * answer): only these may hold back the other users of the tenant.
 */
export function isTenantWide(failure: GraphRequestFailure): boolean {
  const { code } = failure;
  return (
    [
      'throttled',
      'status_401',
      'status_403',
      'timeout',
      'network_error',
      'too_large',
      'limited_group_properties',
    ].includes(code) || /^status_5\d\d$/.test(code)
  );
}

export function failureOf(response: HttpResponse): GraphRequestFailure {
  const retryAfter = retryAfterSecondsOf(response);
  return new GraphRequestFailure(
    response.status === 429 ? 'throttled' : `status_${response.status}`,
    retryAfter,
    response.status,
  );
}

/** Whatever a Graph or token request rejected with, as a failure with a code. */
export function graphFailureOf(error: unknown): GraphRequestFailure {
  if (error instanceof GraphRequestFailure) return error;
  if (error instanceof HttpRequestError) return new GraphRequestFailure(error.code);
  return new GraphRequestFailure('unexpected_error');
}

/**
 * `Retry-After` in delta-seconds, as Graph and Entra send it; undefined when absent or another
 * form (an HTTP date then falls back to the back-off rather than trusting a remote clock).
 */
function retryAfterSecondsOf(response: HttpResponse): number | undefined {
  const header = response.headers?.['retry-after'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
