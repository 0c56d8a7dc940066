import { authErrorResponse } from '../core/error-response';
import {
  AuthorizationException,
  type EntraAuthError,
  InvalidTokenException,
  MissingTokenException,
  REASON_CODES,
  TemporarilyUnavailableException,
} from '../core/errors';

/** The name of the error body's schema in `components.schemas`. */
export const ERROR_SCHEMA = 'EntraAuthError';

/** Refusals of every protected route: the examples of its 401 and 503. */
const ANY_ROUTE = {
  401: [new MissingTokenException(), new InvalidTokenException('token_expired')],
  503: [new TemporarilyUnavailableException('keys_unavailable', 30)],
} as const satisfies Record<number, readonly EntraAuthError[]>;

/** The kinds of entry a set of requirements holds: all that decides how the checker refuses it. */
type RequirementKinds = ReadonlyArray<{ readonly kind: string; readonly value: string }>;

/**
 * How the checker refuses a caller who holds nothing of a set (docs/design.md#authorization, A6):
 * every entry a scope → `insufficient_scope`; else any group → `insufficient_groups`, or the groups
 * provider's own `groups_overage`; else `insufficient_roles`.
 */
function forbiddenReasons(allOf: ReadonlyArray<{ readonly anyOf: RequirementKinds }>): AuthorizationException[] {
  const refusals = allOf.flatMap(({ anyOf }) => {
    // A set of conditions only (`authContext:`, `app:`) has no grant to be refused.
    if (anyOf.length === 0) return [];
    if (anyOf.every(({ kind }) => kind === 'scope')) {
      return [
        new AuthorizationException(
          'insufficient_scope',
          anyOf.map(({ value }) => value),
        ),
      ];
    }
    if (anyOf.some(({ kind }) => kind === 'group')) {
      return [new AuthorizationException('insufficient_groups'), new AuthorizationException('groups_overage')];
    }
    return [new AuthorizationException('insufficient_roles')];
  });
  return [...new Map(refusals.map((refusal) => [refusal.reason, refusal])).values()];
}

/** The RFC 6750 body every refusal carries (docs/design.md#responses), as a JSON Schema. */
export function errorBodySchema(): Record<string, unknown> {
  return {
    type: 'object',
    description:
      'An RFC 6750 error: the OAuth error code, a fixed sentence per reason (never a claim value or the token), and the stable reason code of every refusal of entra-auth-middleware.',
    required: ['error', 'error_description'],
    properties: {
      error: {
        type: 'string',
        description:
          'The OAuth error code: `unauthorized`, `invalid_token`, `insufficient_claims` (401, a claims challenge), `forbidden`, `insufficient_scope` (403), `temporarily_unavailable` (503).',
      },
      error_description: { type: 'string' },
      reason: { type: 'string', enum: [...REASON_CODES] },
    },
    additionalProperties: false,
  };
}

const NO_STORE = { description: 'Always `no-store`.', schema: { type: 'string', const: 'no-store' } };

/**
 * 401, 403 and 503 as the library answers them on a protected route, with examples built by the
 * library's own response builder: 403 only where the route names something to hold (never on
 * `@Authorized()`), with the reasons its entries can be refused for; `groups_unavailable` (503) only
 * where groups are checked.
 */
export function errorResponses(allOf: ReadonlyArray<{ readonly anyOf: RequirementKinds }>): Record<string, unknown> {
  const forbidden = forbiddenReasons(allOf);
  const checksGroups = allOf.some(({ anyOf }) => anyOf.some(({ kind }) => kind === 'group'));
  const unavailable = [
    ...ANY_ROUTE[503],
    ...(checksGroups ? [new TemporarilyUnavailableException('groups_unavailable', 1)] : []),
  ];
  const content = (refusals: readonly EntraAuthError[]) => ({
    'application/json': {
      schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` },
      examples: Object.fromEntries(
        refusals.map((refusal) => [refusal.reason, { value: authErrorResponse(refusal).body }]),
      ),
    },
  });
  const reasons = (refusals: readonly EntraAuthError[]) => refusals.map(({ reason }) => `\`${reason}\``).join(', ');
  return {
    '401': {
      description:
        'No valid access token: none sent (`unauthorized`, reason `token_missing`), or one that fails a rule (`invalid_token` with its reason).',
      headers: {
        'WWW-Authenticate': {
          description: 'The Bearer challenge (RFC 6750 §3), with `error` for a refused token.',
          required: true,
          schema: { type: 'string' },
        },
        'Cache-Control': NO_STORE,
      },
      content: content(ANY_ROUTE[401]),
    },
    ...(forbidden.length > 0
      ? {
          '403': {
            description: `A valid token whose caller holds none of what the operation accepts: ${reasons(forbidden)}.`,
            headers: {
              ...(forbidden.some(({ reason }) => reason === 'insufficient_scope')
                ? {
                    'WWW-Authenticate': {
                      description: 'For `insufficient_scope`: the scopes that would grant access (RFC 6750 §3).',
                      schema: { type: 'string' },
                    },
                  }
                : {}),
              'Cache-Control': NO_STORE,
            },
            content: content(forbidden),
          },
        }
      : {}),
    '503': {
      description: `Needed to decide, but cannot be obtained right now: ${reasons(unavailable)}; retry after \`Retry-After\` seconds.`,
      headers: {
        'Retry-After': {
          description: 'Seconds until the next attempt.',
          required: true,
          schema: { type: 'integer', minimum: 1 },
        },
        'Cache-Control': NO_STORE,
      },
      content: content(unavailable),
    },
  };
}
