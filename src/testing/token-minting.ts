import { constants, createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { RsaAlgorithm } from '../core/settings/settings';
import { RSA_ALGORITHM_HASHES } from '../core/token/signature';

/**
 * One JWT segment: JSON, UTF-8, base64url. A `Uint8Array` is taken as the already-serialized bytes,
 * for hostile tokens that `JSON.stringify` cannot produce (duplicate members, invalid UTF-8).
 */
export function encodeJwtSegment(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64url');
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('a JWT segment must be JSON-serializable');
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * A compact JWS signed with `alg`, whatever `header.alg` claims: hostile-token tests need headers
 * that lie about how they were signed.
 */
export function signJwt(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: KeyObject,
  alg: RsaAlgorithm = 'RS256',
): string {
  const digest = RSA_ALGORITHM_HASHES[alg];
  if (!digest) throw new RangeError(`unsupported signing algorithm: ${String(alg)}`);
  const signingInput = `${encodeJwtSegment(header)}.${encodeJwtSegment(payload)}`;
  // RSASSA-PSS as JWA (RFC 7518 §3.5) specifies it: MGF1 with the same hash, salt = hash length.
  const key = alg.startsWith('PS')
    ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : privateKey;
  const signature = sign(digest, Buffer.from(signingInput, 'ascii'), key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * A token signed as Entra signs tokens for Microsoft Graph: the header carries a random `nonce`,
 * but the signature covers the header with the nonce replaced by base64url(SHA-256(nonce)). Only
 * Graph, which knows the scheme, verifies it; for everyone else its signature is invalid.
 */
export function signJwtWithGraphNonce(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: KeyObject,
  alg: RsaAlgorithm = 'RS256',
): string {
  const nonce = randomBytes(32).toString('base64url');
  const hashed = createHash('sha256').update(nonce).digest('base64url');
  const signed = signJwt({ ...header, nonce: hashed }, payload, privateKey, alg);
  return `${encodeJwtSegment({ ...header, nonce })}${signed.slice(signed.indexOf('.'))}`;
}
