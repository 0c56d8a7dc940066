import { checkPrimeSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Random } from '../../support/random';

const SMALL_PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109,
  113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
].map(BigInt);
const PRIMORIAL = SMALL_PRIMES.reduce((product, prime) => product * prime, 1n);
const E = 65537n;
// Primes in [0.71·2^1024, 2^1024), so that any two multiply to exactly 2048 bits.
const K_MIN = ((1n << 1024n) * 182n) / 256n / PRIMORIAL;
const K_SPAN = (1n << 1024n) / PRIMORIAL - K_MIN;

/**
 * A real 2048-bit RSA key pair whose primes have Infineon RSALib's structure, k·M + (65537^a mod M):
 * the modulus carries the ROCA fingerprint, and we hold the private key, as whoever factored it would.
 */
export function generateRocaStructuredKey(random: Random): { privateKey: KeyObject; publicKey: KeyObject } {
  for (;;) {
    const p = rocaPrime(random);
    const q = rocaPrime(random);
    const n = p * q;
    if (p === q) continue;
    const phi = (p - 1n) * (q - 1n);
    const d = modInverse(E, phi);
    const jwk = {
      kty: 'RSA',
      n: toBase64Url(n),
      e: toBase64Url(E),
      d: toBase64Url(d),
      p: toBase64Url(p),
      q: toBase64Url(q),
      dp: toBase64Url(d % (p - 1n)),
      dq: toBase64Url(d % (q - 1n)),
      qi: toBase64Url(modInverse(q, p)),
    };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}

function rocaPrime(random: Random): bigint {
  for (;;) {
    const a = BigInt(random.int(1, 1 << 30));
    const k = K_MIN + (random.bigBits(820) % K_SPAN);
    const candidate = k * PRIMORIAL + modPow(E, a, PRIMORIAL);
    if ((candidate - 1n) % E !== 0n && checkPrimeSync(candidate, { checks: 32 })) return candidate;
  }
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let x = exponent; x > 0n; x >>= 1n) {
    if (x & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % modulus) + modulus) % modulus;
}

function toBase64Url(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
}
