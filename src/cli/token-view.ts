import { decodeJsonSegment } from '../core/json-object';

/**
 * Claims whose values are never personal: identifiers of tenants, applications and directory
 * objects, times, versions, scopes, roles and group ids. Every other claim (names, emails, UPNs,
 * IP addresses, Entra's opaque values) shows its name only, unless `--show-personal`.
 */
const NON_PERSONAL_CLAIMS = new Set([
  'aud',
  'iss',
  'iat',
  'nbf',
  'exp',
  'ver',
  'tid',
  'oid',
  'azp',
  'azpacr',
  'appid',
  'appidacr',
  'idtyp',
  'scp',
  'roles',
  'groups',
  'hasgroups',
  '_claim_names',
  'wids',
  'acr',
  'acrs',
  'amr',
  'xms_cc',
]);
const NON_PERSONAL_HEADER_MEMBERS = new Set(['alg', 'typ', 'kid', 'x5t', 'cty']);

/** What stands for a value that is not shown. */
export const HIDDEN = '(hidden; --show-personal shows it)';

/** The header and claims as written in the token, not verified: only to explain what a rule saw. */
export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>> | undefined;
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  /** Bytes, segments: what explains a refusal by rule 1. */
  readonly bytes: number;
  readonly segments: number;
}

/** What may be printed of a token: never its segments or signature, personal values only when asked. */
export interface TokenView {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Decodes the header and payload with the library's own strict decoder; a part that fails stays undefined. */
export function decodeToken(token: string): DecodedToken {
  const segments = token.split('.');
  return {
    header: segments.length === 3 ? decodeJsonSegment(segments[0]!)?.value : undefined,
    claims: segments.length === 3 ? decodeJsonSegment(segments[1]!)?.value : undefined,
    bytes: Buffer.byteLength(token),
    segments: segments.length,
  };
}

export function viewOf(decoded: DecodedToken, showPersonal: boolean): TokenView | undefined {
  if (!decoded.header && !decoded.claims) return undefined;
  return {
    header: shown(decoded.header ?? {}, NON_PERSONAL_HEADER_MEMBERS, showPersonal),
    claims: shown(decoded.claims ?? {}, NON_PERSONAL_CLAIMS, showPersonal),
  };
}

function shown(
  members: Readonly<Record<string, unknown>>,
  nonPersonal: ReadonlySet<string>,
  showPersonal: boolean,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(members).map(([name, value]) => [name, showPersonal || nonPersonal.has(name) ? value : HIDDEN]),
  );
}
