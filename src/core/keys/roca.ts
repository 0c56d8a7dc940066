/**
 * The ROCA fingerprint (CVE-2017-15361, Nemec et al., "The Return of Coppersmith's Attack", CCS 2017):
 * Infineon's RSALib built every prime as k·M + (65537^a mod M), M a primorial, which makes the
 * moduli factorable. Such a prime, and so the modulus, is a power of 65537 modulo every small prime
 * dividing M. The published detector tests exactly that for the primes below (its bitmasks are the
 * subgroups computed here); a random modulus passes all of them with a probability of about 2^-30.
 */
const DETECTOR_PRIMES = [
  3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113,
  127, 131, 137, 139, 149, 151, 157, 163, 167,
];
const GENERATOR = 65537;

/** For each detector prime p, the residues modulo p that are powers of 65537. */
const POWERS_OF_GENERATOR: ReadonlyArray<{ prime: bigint; residues: ReadonlySet<number> }> = DETECTOR_PRIMES.map(
  (prime) => {
    const residues = new Set<number>();
    for (let power = 1; !residues.has(power); power = (power * GENERATOR) % prime) residues.add(power);
    return { prime: BigInt(prime), residues };
  },
);

/** Whether a big-endian RSA modulus carries the ROCA fingerprint. Run once per imported key. */
export function hasRocaFingerprint(modulus: Uint8Array): boolean {
  if (modulus.length === 0) return false;
  const n = BigInt(`0x${Buffer.from(modulus).toString('hex')}`);
  return POWERS_OF_GENERATOR.every(({ prime, residues }) => residues.has(Number(n % prime)));
}
