import { createPublicKey, type KeyObject } from 'node:crypto';
import { ownMember } from '../json-object';
import { hasRocaFingerprint } from './roca';

/** One usable key of a fetched key set (docs/design.md, rule 3), imported once per key-set change. */
export interface SigningKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
  /** RSA signatures are exactly this long; anything else is refused before OpenSSL sees it. */
  readonly modulusBytes: number;
  /** The key set's per-key `issuer` (v2 key sets), possibly a `{tenantid}` template. */
  readonly issuer?: string;
  /** The key's own `alg`, when it names one: then it only verifies that algorithm. */
  readonly alg?: string;
  /** The issuer of the discovery document whose key set published this key (`M` of rule 7). */
  readonly metadataIssuer: string;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MIN_MODULUS_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Keeps the keys a token may be verified with: RSA, `use` sig or absent, modulus of at least 2048
 * bits, exponent 65537, no private members, no ROCA fingerprint, a kid that appears once in the set. Anything else is
 * dropped, never "fixed": a key set is attacker-reachable input when the authority is compromised
 * or impersonated, and e=1 or a short modulus makes forging signatures trivial.
 * Returns undefined when the document is not a key set at all.
 */
export function selectUsableKeys(document: unknown, metadataIssuer: string): Map<string, SigningKey> | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const entries = ownMember(document, 'keys');
  if (!Array.isArray(entries)) return undefined;

  const kidCounts = new Map<string, number>();
  for (const entry of entries) {
    const kid = isRecord(entry) ? ownMember(entry, 'kid') : undefined;
    if (typeof kid === 'string') kidCounts.set(kid, (kidCounts.get(kid) ?? 0) + 1);
  }

  const usable = new Map<string, SigningKey>();
  for (const entry of entries) {
    const kid = isRecord(entry) ? ownMember(entry, 'kid') : undefined;
    if (!isRecord(entry) || typeof kid !== 'string' || kidCounts.get(kid) !== 1) continue;
    const key = toSigningKey(entry, metadataIssuer);
    if (key) usable.set(key.kid, key);
  }
  return usable;
}

function toSigningKey(jwk: Record<string, unknown>, metadataIssuer: string): SigningKey | undefined {
  const [kid, kty, use, n, e, issuer, alg, keyOps] = ['kid', 'kty', 'use', 'n', 'e', 'issuer', 'alg', 'key_ops'].map(
    (name) => ownMember(jwk, name),
  );
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 256) return undefined;
  if (kty !== 'RSA') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return undefined;
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) return undefined;
  if (issuer !== undefined && typeof issuer !== 'string') return undefined;
  if (alg !== undefined && typeof alg !== 'string') return undefined;
  if (typeof n !== 'string' || typeof e !== 'string' || !BASE64URL.test(n) || e !== 'AQAB') {
    return undefined;
  }
  const modulus = Buffer.from(n, 'base64url');
  if (modulus.toString('base64url') !== n || modulus[0] === 0) return undefined;
  if (bitLength(modulus) < MIN_MODULUS_BITS) return undefined;
  // Factorable by anyone who cares to (CVE-2017-15361): such a key signs for whoever factored it.
  if (hasRocaFingerprint(modulus)) return undefined;

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
  } catch {
    return undefined;
  }
  return {
    kid,
    publicKey,
    modulusBytes: modulus.length,
    metadataIssuer,
    ...(issuer !== undefined ? { issuer } : {}),
    ...(alg !== undefined ? { alg } : {}),
  };
}

function bitLength(bigEndian: Buffer): number {
  const first = bigEndian[0] ?? 0;
  return (bigEndian.length - 1) * 8 + (32 - Math.clz32(first));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
