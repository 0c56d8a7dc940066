import { InvalidTokenException } from '../errors';
import {
  decodeCanonicalBase64Url,
  decodeJsonSegment,
  hasDuplicateMembers,
  ownMember,
  type ParsedJsonObject,
} from '../json-object';
import type { RsaAlgorithm } from '../settings/settings';

/** Printable ASCII only: kids reach logs, and a CR/LF or ANSI escape there forges log lines. */
const KID = /^[\x21-\x7e]{1,256}$/;

/** A compact JWS taken apart, its encoding checked, nothing yet trusted. */
export interface CompactJws {
  readonly header: ParsedJsonObject;
  /** The payload's bytes, decoded once here so that the claims need no second decoding. */
  readonly payload: Buffer;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

/** The header members that pick the key and the algorithm (rule 2). */
export interface JwsKeyReference {
  readonly alg: RsaAlgorithm;
  readonly kid: string;
}

/**
 * Rule 1 without the claims: at most `maxTokenBytes`, three segments of canonical base64url (Node's
 * decoder silently accepts padding and stray bits), a header that is a JSON object without duplicate
 * members. Throws `token_too_large` or `token_malformed`.
 */
export function splitCompactJws(token: string, maxTokenBytes: number): CompactJws {
  if (token.length === 0) throw new InvalidTokenException('token_malformed');
  if (Buffer.byteLength(token) > maxTokenBytes) throw new InvalidTokenException('token_too_large');
  // Three base64url segments (RFC 7515 allows an empty payload; an access token's is never empty),
  // that is /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/: it holds exactly when each segment
  // survives a base64url round trip unchanged (the decoder skips other characters, the encoder
  // emits none), checked below, so no regex pass over the whole token is needed.
  const segments = token.split('.');
  if (segments.length !== 3 || segments[0] === '' || segments[2] === '') {
    throw new InvalidTokenException('token_malformed');
  }
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  const header = decodeJsonSegment(headerSegment);
  const payload = decodeCanonicalBase64Url(payloadSegment);
  const signature = decodeCanonicalBase64Url(signatureSegment);
  if (!header || hasDuplicateMembers(header) || !payload || !signature) {
    throw new InvalidTokenException('token_malformed');
  }
  return {
    header,
    payload,
    signingInput: Buffer.from(token.slice(0, headerSegment.length + 1 + payloadSegment.length), 'ascii'),
    signature,
  };
}

/**
 * Rule 2: `alg` in the allow-list, `kid` a printable string of 1 to 256 characters, no `crit`, no `b64`.
 * `jwk`, `jku`, `x5u` and `x5c` are never read: a token cannot name the key that vouches for it.
 */
export function readJwsKeyReference(
  header: Readonly<Record<string, unknown>>,
  algorithms: readonly RsaAlgorithm[],
): JwsKeyReference {
  const alg = ownMember(header, 'alg');
  const kid = ownMember(header, 'kid');
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    throw new InvalidTokenException('alg_not_allowed');
  }
  if (typeof kid !== 'string' || !KID.test(kid)) throw new InvalidTokenException('kid_invalid');
  // We implement no JWS extension, so any critical one makes the token unprocessable (RFC 7515 §4.1.11).
  // `b64` (RFC 7797) changes what the signature covers, and a b64-aware verifier would read the same
  // token differently, whether or not `crit` names it: Entra never sends it, so it is refused too.
  if (Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64')) throw new InvalidTokenException('token_malformed');
  return { alg: alg as RsaAlgorithm, kid };
}
