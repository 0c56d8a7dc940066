import { generateKeyPair, type KeyObject } from 'node:crypto';

export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

// The promise, not the pair, is memoized so that concurrent callers asking for the same index
// share one generation: generating a 2048-bit key is slow enough to dominate the test that waits.
const pool = new Map<number, Promise<TestKeyPair>>();

/**
 * The `index`-th RSA test key pair (2048 bits, e = 65537), generated once per process and shared by
 * every emulator and test that asks for it. Never use these keys outside tests.
 */
export function getTestKeyPair(index: number): Promise<TestKeyPair> {
  if (!Number.isSafeInteger(index) || index < 0) {
    return Promise.reject(new RangeError(`test key index must be a whole number ≥ 0, got ${index}`));
  }
  let pair = pool.get(index);
  if (!pair) {
    pair = new Promise<TestKeyPair>((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, (error, publicKey, privateKey) =>
        error ? reject(error) : resolve({ privateKey, publicKey }),
      );
    });
    // A failed generation must not poison the index for the rest of the run.
    pair.catch(() => pool.delete(index));
    pool.set(index, pair);
  }
  return pair;
}

/**
 * Generates test keys 0 … count−1 in parallel (e.g. in a root `before` hook), so tests don't
 * wait for them one by one.
 */
export function warmTestKeys(count: number): Promise<TestKeyPair[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => getTestKeyPair(index)));
}
