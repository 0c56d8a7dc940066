import { expect } from 'chai';
import { hasRocaFingerprint } from '../../src/core/keys/roca';
import { selectUsableKeys } from '../../src/core/keys/signing-key';
import { getTestKeyPair } from '../../src/testing';
import { Random } from '../support/random';
import { generateRocaStructuredKey } from './support/roca-key';

function modulusOf(jwk: Record<string, unknown>): Buffer {
  return Buffer.from(jwk['n'] as string, 'base64url');
}

describe('ROCA (CVE-2017-15361): a key whose modulus carries the fingerprint is never usable', () => {
  const roca = generateRocaStructuredKey(new Random(0x70ca));
  const rocaJwk = roca.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;

  it('flags a modulus built from RSALib-structured primes', () => {
    expect(hasRocaFingerprint(modulusOf(rocaJwk))).to.equal(true);
  });

  it('does not flag ordinary 2048-bit keys', async () => {
    for (let index = 0; index < 4; index++) {
      const jwk = (await getTestKeyPair(index)).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      expect(hasRocaFingerprint(modulusOf(jwk)), `test key ${index}`).to.equal(false);
    }
  });

  it('drops the flagged key from a key set when it is imported, and keeps a sound one beside it', async () => {
    const sound = (await getTestKeyPair(0)).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    const keys = selectUsableKeys(
      {
        keys: [
          { ...rocaJwk, kid: 'roca' },
          { ...sound, kid: 'sound' },
        ],
      },
      'https://issuer.example/',
    );
    expect([...keys!.keys()]).to.deep.equal(['sound']);
  });
});
