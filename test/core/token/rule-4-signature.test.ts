import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

describe('Rule 4: the signature verifies', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts a token signed by the published key', async () => {
    const verified = await harness.provider.verifyToken(harness.emulator.mintAccessToken());
    expect(verified.claims.tid).to.equal(harness.emulator.tenants.primary.id);
  });

  it('refuses a signature with any one bit flipped', async () => {
    const token = harness.emulator.mintAccessToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    for (const bit of [0, 7, 8, 1000, 2047]) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      await expectRejection(
        harness.provider.verifyToken(`${header}.${payload}.${flipped.toString('base64url')}`),
        'signature_invalid',
      );
    }
  });

  it('refuses a changed payload under the original signature', async () => {
    const [header, payload, signature] = harness.emulator.mintAccessToken().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.roles = ['Administrator'];
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    await expectRejection(harness.provider.verifyToken(`${header}.${forged}.${signature}`), 'signature_invalid');
  });

  it('refuses a token signed with another key under a published kid', async () => {
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expectRejection(
      harness.provider.verifyToken(harness.emulator.mintAccessToken({ signingKey: attacker.privateKey })),
      'signature_invalid',
    );
  });

  it('refuses a truncated or extended signature', async () => {
    const [header, payload, signature] = harness.emulator.mintAccessToken().split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    for (const altered of [bytes.subarray(1), bytes.subarray(0, 128), Buffer.concat([Buffer.from([0]), bytes])]) {
      await expectRejection(
        harness.provider.verifyToken(`${header}.${payload}.${altered.toString('base64url')}`),
        'signature_invalid',
      );
    }
  });
});
