import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import { getTestKeyPair } from '../../../src/testing';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

function publicJwk(key: KeyObject): Record<string, unknown> {
  return key.export({ format: 'jwk' }) as Record<string, unknown>;
}

describe('Rule 3: the signing key is found by kid only, and only usable keys count (RSA, sig, >= 2048 bits, e=65537, public, unique kid)', () => {
  let harness: Harness;
  let spare: { privateKey: KeyObject; publicKey: KeyObject };
  before(async () => {
    spare = await getTestKeyPair(7);
  });
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  async function expectKeyRefused(jwk: Record<string, unknown>, signingKey: KeyObject): Promise<void> {
    harness.emulator.publishRawKey({ ...jwk, kid: 'published-raw' });
    const token = harness.emulator.mintAccessToken({ kid: 'published-raw', signingKey });
    await expectRejection(harness.provider.verifyToken(token), 'key_not_found');
  }

  it('accepts a token signed by a usable key published under its kid', async () => {
    harness.emulator.publishRawKey({ ...publicJwk(spare.publicKey), kid: 'published-raw', use: 'sig' });
    const token = harness.emulator.mintAccessToken({ kid: 'published-raw', signingKey: spare.privateKey });
    expect((await harness.provider.verifyToken(token)).kid).to.equal('published-raw');
  });

  it('refuses a kid the issuer does not publish', async () => {
    await expectRejection(
      harness.provider.verifyToken(harness.emulator.mintAccessToken({ kid: 'nobody-publishes-this' })),
      'key_not_found',
    );
  });

  it('never tries another key: a token naming key A but signed by published key B is refused', async () => {
    harness.emulator.publishRawKey({ ...publicJwk(spare.publicKey), kid: 'published-raw' });
    const token = harness.emulator.mintAccessToken({ kid: harness.emulator.currentKid, signingKey: spare.privateKey });
    await expectRejection(harness.provider.verifyToken(token), 'signature_invalid');
  });

  it('refuses a key with a modulus under 2048 bits', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await expectKeyRefused(publicJwk(weak.publicKey), weak.privateKey);
  });

  it('refuses a key whose exponent is not 65537', async () => {
    const lowExponent = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    await expectKeyRefused(publicJwk(lowExponent.publicKey), lowExponent.privateKey);
    await expectKeyRefused({ ...publicJwk(spare.publicKey), e: 'AQ' }, spare.privateKey);
    await expectKeyRefused({ ...publicJwk(spare.publicKey), e: 'AAEAAQ' }, spare.privateKey);
  });

  it('refuses keys meant for encryption or other operations', async () => {
    await expectKeyRefused({ ...publicJwk(spare.publicKey), use: 'enc' }, spare.privateKey);
    await expectKeyRefused({ ...publicJwk(spare.publicKey), key_ops: ['encrypt'] }, spare.privateKey);
  });

  it('refuses non-RSA keys', async () => {
    await expectKeyRefused({ kty: 'oct', k: Buffer.from('secret').toString('base64url') }, spare.privateKey);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expectKeyRefused(publicJwk(ec.publicKey), spare.privateKey);
  });

  it('refuses a published key that carries private members', async () => {
    const privateJwk = spare.privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    await expectKeyRefused(privateJwk, spare.privateKey);
  });

  it('refuses a modulus with a leading zero byte (non-canonical encoding)', async () => {
    const n = Buffer.concat([Buffer.from([0]), Buffer.from(publicJwk(spare.publicKey).n as string, 'base64url')]);
    await expectKeyRefused({ ...publicJwk(spare.publicKey), n: n.toString('base64url') }, spare.privateKey);
  });

  it('treats a kid that appears twice in one key set as unusable, even for a genuine key', async () => {
    const kid = harness.emulator.currentKid;
    await harness.emulator.addSigningKey(); // so that the set still holds a usable key
    harness.emulator.publishRawKey({ ...publicJwk(harness.emulator.privateKeyFor(kid)), kid });
    await expectRejection(harness.provider.verifyToken(harness.emulator.mintAccessToken()), 'key_not_found');
  });

  it("honours a key's own alg: a key published for RS256 does not verify PS256", async () => {
    const pss = await startHarness({ algorithms: ['RS256', 'PS256'] });
    try {
      pss.emulator.publishRawKey({ ...publicJwk(spare.publicKey), kid: 'published-raw', alg: 'RS256' });
      const token = pss.emulator.mintAccessToken({ kid: 'published-raw', signingKey: spare.privateKey, alg: 'PS256' });
      await expectRejection(pss.provider.verifyToken(token), 'alg_not_allowed');
      const rs256 = pss.emulator.mintAccessToken({ kid: 'published-raw', signingKey: spare.privateKey });
      expect((await pss.provider.verifyToken(rs256)).kid).to.equal('published-raw');
    } finally {
      await pss.close();
    }
  });
});
