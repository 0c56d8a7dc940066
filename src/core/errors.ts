/**
 * Every rejection carries a stable reason code. Descriptions are fixed sentences per code: they
 * end up in `WWW-Authenticate` and response bodies, so they never contain a claim value, a quote,
 * a backslash or the token.
 */
export const TOKEN_REASON_DESCRIPTIONS = {
  token_missing: 'No bearer access token was sent.',
  token_malformed: 'The access token or the Authorization header is malformed.',
  token_too_large: 'The access token is longer than this API accepts.',
  alg_not_allowed: 'The access token is signed with an algorithm this API does not accept.',
  kid_invalid: 'The access token header has no valid key id.',
  key_not_found: 'The access token is signed with a key the issuer does not publish.',
  signature_invalid: 'The access token signature is invalid.',
  token_expired: 'The access token has expired.',
  token_not_yet_valid: 'The access token is not valid yet.',
  iat_in_future: 'The access token was issued in the future.',
  version_invalid: 'The access token version is not 1.0 or 2.0.',
  issuer_invalid: 'The access token issuer is not accepted.',
  tenant_invalid: 'The access token tenant is not the configured tenant.',
  tenant_not_allowed: 'The access token tenant is not in the list of allowed tenants.',
  key_issuer_mismatch: 'The access token was signed with a key that belongs to another issuer.',
  audience_invalid: 'The access token was issued for another audience.',
  not_an_access_token: 'The token is not an access token for this API: an ID token or a token without scopes or roles.',
  client_not_allowed: 'The access token was issued to a client application this API does not accept.',
} as const;

export type TokenReasonCode = keyof typeof TOKEN_REASON_DESCRIPTIONS;

export const AUTHORIZATION_REASON_DESCRIPTIONS = {
  insufficient_groups: 'The user is not a member of a group this resource requires.',
  insufficient_roles: 'The caller does not hold a role this resource requires.',
  insufficient_scope: 'The access token does not hold a scope this resource requires.',
  groups_overage: 'The user is in too many groups to list in a token and no group resolver is configured.',
  guest_not_allowed: 'This resource does not accept guest users of the tenant.',
  app_only_required: 'This resource accepts only tokens of a client application acting as itself.',
  delegated_required: 'This resource accepts only tokens of a client application acting for a signed-in user.',
} as const;

export type AuthorizationReasonCode = keyof typeof AUTHORIZATION_REASON_DESCRIPTIONS;

export const UNAVAILABLE_REASON_DESCRIPTIONS = {
  keys_unavailable: 'The signing keys of the token issuer cannot be obtained right now.',
  groups_unavailable: 'The group memberships of the user cannot be obtained right now.',
} as const;

export type UnavailableReasonCode = keyof typeof UNAVAILABLE_REASON_DESCRIPTIONS;

/** Refusals a client can overcome by asking Entra for a new token with the claims named (401). */
export const CLAIMS_CHALLENGE_REASON_DESCRIPTIONS = {
  session_revoked: "This access token was revoked, or the user's sessions were, after it was issued.",
  auth_context_required: 'This resource requires a stronger authentication than the access token carries.',
} as const;

export type ClaimsChallengeReasonCode = keyof typeof CLAIMS_CHALLENGE_REASON_DESCRIPTIONS;

export type ReasonCode = TokenReasonCode | AuthorizationReasonCode | UnavailableReasonCode | ClaimsChallengeReasonCode;

/** One auth-param of a `WWW-Authenticate` challenge, sent as `name="value"`. */
export type AuthParam = readonly [name: string, value: string];

/**
 * Common shape of every error a request can end in. Its HTTP response (core/error-response.ts)
 * is built from these members alone, so a framework adapter only copies it.
 */
export abstract class EntraAuthError extends Error {
  abstract readonly status: 401 | 403 | 503;
  /** The RFC 6750 / OAuth error code for the response body. */
  abstract readonly error: string;
  abstract readonly reason: ReasonCode;

  get description(): string {
    return describeReason(this.reason);
  }

  /** The `realm` of the `Bearer` challenge (RFC 6750 §3). */
  get realm(): string {
    return 'api';
  }

  /**
   * The auth-params of this refusal's `Bearer` challenge after the realm (RFC 6750 §3), in order;
   * `undefined` when the response carries no `WWW-Authenticate`.
   */
  get challenge(): readonly AuthParam[] | undefined {
    return undefined;
  }
}

/**
 * No bearer credentials where a verified caller is required (status 401, `unauthorized`; RFC 6750
 * §3.1 gives no error code to a request that did not try to authenticate).
 */
export class MissingTokenException extends EntraAuthError {
  override readonly name = 'MissingTokenException';
  readonly status = 401;
  readonly error = 'unauthorized';
  readonly reason = 'token_missing';

  constructor() {
    super(TOKEN_REASON_DESCRIPTIONS.token_missing);
  }

  /** The realm alone: RFC 6750 §3.1 gives no error code to a request that did not try to authenticate. */
  override get challenge(): readonly AuthParam[] {
    return [];
  }
}

/**
 * A bearer token that fails any acceptance rule (status 401, `invalid_token`), or a revoked one
 * from a client that cannot answer a claims challenge (`session_revoked`).
 */
export class InvalidTokenException extends EntraAuthError {
  override readonly name = 'InvalidTokenException';
  readonly status = 401;
  readonly error = 'invalid_token';

  constructor(readonly reason: Exclude<TokenReasonCode, 'token_missing'> | 'session_revoked') {
    super(describeReason(reason));
  }

  override get challenge(): readonly AuthParam[] {
    return [
      ['error', this.error],
      ['error_description', this.description],
    ];
  }
}

/** A verified caller that lacks what a resource requires (status 403). */
export class AuthorizationException extends EntraAuthError {
  override readonly name = 'AuthorizationException';
  readonly status = 403;
  readonly error: 'forbidden' | 'insufficient_scope';

  constructor(
    readonly reason: AuthorizationReasonCode,
    /** For `insufficient_scope`: the scopes that would grant access, for `WWW-Authenticate`. */
    readonly requiredScopes: readonly string[] = [],
  ) {
    super(AUTHORIZATION_REASON_DESCRIPTIONS[reason]);
    this.error = reason === 'insufficient_scope' ? 'insufficient_scope' : 'forbidden';
  }

  /** Only a missing scope has a challenge: it names the scopes that would grant access. */
  override get challenge(): readonly AuthParam[] | undefined {
    if (this.reason !== 'insufficient_scope') return undefined;
    return [
      ['error', this.error],
      ['scope', this.requiredScopes.join(' ')],
    ];
  }
}

/** Something the token's validation depends on cannot be had right now (status 503). */
export class TemporarilyUnavailableException extends EntraAuthError {
  override readonly name = 'TemporarilyUnavailableException';
  readonly status = 503;
  readonly error = 'temporarily_unavailable';

  constructor(
    readonly reason: UnavailableReasonCode,
    /** Whole seconds until the next attempt, for `Retry-After`; at least 1. */
    readonly retryAfterSeconds: number,
  ) {
    super(UNAVAILABLE_REASON_DESCRIPTIONS[reason]);
  }
}

/** Where a client sends the user for a new token: what a claims challenge names. */
export interface ClaimsChallengeAuthority {
  /** The tenant the API belongs to, or `""` for a multi-tenant API (the common endpoint). */
  readonly realm: string;
  /** The authorize endpoint the client re-authenticates at. */
  readonly authorizationUri: string;
}

/**
 * A claims challenge (Microsoft's format for Continuous Access Evaluation and Conditional Access
 * authentication contexts): 401 with `WWW-Authenticate: Bearer realm="…", authorization_uri="…",
 * error="insufficient_claims", claims="<base64 of the claims request>"`, so that an MSAL client
 * gets a new token satisfying `claims` without the user starting over. The claims request asks for
 * claims of the access token (`{"access_token":{…}}`), minified before encoding.
 */
export class ClaimsChallengeException extends EntraAuthError {
  override readonly name = 'ClaimsChallengeException';
  readonly status = 401;
  readonly error = 'insufficient_claims';

  /** The claims request, base64-encoded as Microsoft's clients expect it. */
  readonly claims: string;

  constructor(
    readonly reason: ClaimsChallengeReasonCode,
    /** The claims the new access token must carry, e.g. `{ acrs: { essential: true, value: 'c1' } }`. */
    accessTokenClaims: Readonly<Record<string, unknown>>,
    readonly authority: ClaimsChallengeAuthority,
  ) {
    super(CLAIMS_CHALLENGE_REASON_DESCRIPTIONS[reason]);
    // Encoded here, where the claims are made: never a surprise inside the error handler.
    this.claims = Buffer.from(JSON.stringify({ access_token: accessTokenClaims })).toString('base64');
  }

  override get realm(): string {
    return this.authority.realm;
  }

  override get challenge(): readonly AuthParam[] {
    return [
      ['authorization_uri', this.authority.authorizationUri],
      ['error', this.error],
      ['error_description', this.description],
      ['claims', this.claims],
    ];
  }
}

/** A bad setting, raised while the container is built, never at request time. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid entra-auth-middleware configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const REASON_DESCRIPTIONS: Record<ReasonCode, string> = {
  ...TOKEN_REASON_DESCRIPTIONS,
  ...AUTHORIZATION_REASON_DESCRIPTIONS,
  ...UNAVAILABLE_REASON_DESCRIPTIONS,
  ...CLAIMS_CHALLENGE_REASON_DESCRIPTIONS,
};

export function describeReason(reason: ReasonCode): string {
  return REASON_DESCRIPTIONS[reason];
}

/** Every reason code, in the order of their families: what a document of the error body enumerates. */
export const REASON_CODES = Object.freeze(Object.keys(REASON_DESCRIPTIONS) as ReasonCode[]);
