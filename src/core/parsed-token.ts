import { InvalidTokenException } from './errors';
import { decodeJsonSegment, hasDuplicateMembers, hasDuplicates, ownMember } from './json-object';
import type { RsaAlgorithm, TokenVersion } from './settings';

/** Printable ASCII only: kids reach logs, and a CR/LF or ANSI escape there forges log lines. */
const KID = /^[\x21-\x7e]{1,256}$/;

/** A structurally valid, not yet verified token. */
export interface ParsedToken {
  readonly alg: RsaAlgorithm;
  readonly kid: string;
  /** Undefined when `ver` is neither "1.0" nor "2.0": rule 6 refuses it after rules 3 to 5. */
  readonly version: TokenVersion | undefined;
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** How many top-level payload members are named `tid` in any casing (rule 7 wants exactly one). */
  readonly tidMemberCount: number;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/**
 * Rules 1 and 2 of DESIGN.md, plus the payload's structure: everything decided from the token's
 * text alone, before any key is looked up, so garbage never causes a network fetch.
 */
export function parseToken(
  token: string,
  limits: { readonly maxTokenBytes: number; readonly algorithms: readonly RsaAlgorithm[] },
): ParsedToken {
  if (token.length === 0) throw new InvalidTokenException('token_malformed');
  if (Buffer.byteLength(token) > limits.maxTokenBytes) {
    throw new InvalidTokenException('token_too_large');
  }
  // Rule 1's shape, ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$, holds exactly when there are
  // three non-empty segments that each survive a base64url round trip unchanged (the decoder skips
  // other characters, the encoder emits none): checked below, without a regex pass over the token.
  const segments = token.split('.');
  if (segments.length !== 3 || segments.some((segment) => segment.length === 0)) {
    throw new InvalidTokenException('token_malformed');
  }
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];

  const header = decodeJsonSegment(headerSegment);
  const payload = decodeJsonSegment(payloadSegment);
  const signature = Buffer.from(signatureSegment, 'base64url');
  if (
    !header ||
    !payload ||
    hasDuplicateMembers(header) ||
    // Repeated `tid`s (in any case) are rule 7's to refuse, as tenant_invalid.
    (hasDuplicateMembers(payload) && hasDuplicates(payload.memberNames.filter((name) => !isTid(name)))) ||
    signature.toString('base64url') !== signatureSegment
  ) {
    throw new InvalidTokenException('token_malformed');
  }

  const alg = ownMember(header.value, 'alg');
  const kid = ownMember(header.value, 'kid');
  if (typeof alg !== 'string' || !(limits.algorithms as readonly string[]).includes(alg)) {
    throw new InvalidTokenException('alg_not_allowed');
  }
  if (typeof kid !== 'string' || !KID.test(kid)) throw new InvalidTokenException('kid_invalid');
  // We implement no JWS extension, so any critical one makes the token unprocessable (RFC 7515 §4.1.11).
  if (Object.hasOwn(header.value, 'crit')) throw new InvalidTokenException('token_malformed');

  // The version picks which discovery document and key set judge the token; the signature that
  // follows covers it like every other claim.
  const ver = ownMember(payload.value, 'ver');

  return {
    alg: alg as RsaAlgorithm,
    kid,
    version: ver === '1.0' || ver === '2.0' ? ver : undefined,
    header: header.value,
    claims: payload.value,
    tidMemberCount: payload.memberNames.filter(isTid).length,
    signingInput: Buffer.from(token.slice(0, headerSegment.length + 1 + payloadSegment.length), 'ascii'),
    signature,
  };
}

function isTid(name: string): boolean {
  return name.length === 3 && name.toLowerCase() === 'tid';
}
