import { constants, verify } from 'node:crypto';
import { InvalidTokenException } from '../errors';
import type { RsaAlgorithm } from '../settings/settings';
import type { SigningKey } from '../keys/signing-key';

/** The digest each JWS RSA algorithm signs. */
export const RSA_ALGORITHM_HASHES: Readonly<Record<RsaAlgorithm, string>> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

/**
 * Rule 4: node:crypto's synchronous one-shot verify on a KeyObject imported once per key set.
 * The algorithm comes from the allow-listed header, never from the key, so an RSA key can never
 * be used as an HMAC secret.
 */
function verifySignature(alg: RsaAlgorithm, signingInput: Buffer, signature: Buffer, key: SigningKey): boolean {
  if (signature.length !== key.modulusBytes) return false;
  const padding = alg.startsWith('PS')
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { padding: constants.RSA_PKCS1_PADDING };
  try {
    return verify(RSA_ALGORITHM_HASHES[alg], signingInput, { key: key.publicKey, ...padding }, signature);
  } catch {
    return false;
  }
}

/** Rule 3's last part: a key that names an algorithm verifies only that one. Throws `alg_not_allowed`. */
export function assertKeyAllows(jws: { readonly alg: RsaAlgorithm }, key: SigningKey): void {
  if (key.alg !== undefined && key.alg !== jws.alg) throw new InvalidTokenException('alg_not_allowed');
}

/** Rule 4. Throws `signature_invalid`. */
export function assertSignature(
  jws: { readonly alg: RsaAlgorithm; readonly signingInput: Buffer; readonly signature: Buffer },
  key: SigningKey,
): void {
  if (!verifySignature(jws.alg, jws.signingInput, jws.signature, key)) {
    throw new InvalidTokenException('signature_invalid');
  }
}
