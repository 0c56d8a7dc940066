import { expect } from 'chai';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

describe('Rule 6: ver 2.0 is judged by the v2 discovery document, ver 1.0 by the v1 document; any other ver is refused', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts a v2 token with the v2 issuer and a v1 token with the v1 issuer, each from its own document', async () => {
    const { emulator, provider } = harness;
    const tid = emulator.tenants.primary.id;
    emulator.resetCounters();
    const v2 = await provider.verifyToken(emulator.mintAccessToken({ version: '2.0' }));
    const v1 = await provider.verifyToken(emulator.mintAccessToken({ version: '1.0' }));
    expect(v2.version).to.equal('2.0');
    expect(v2.claims.iss).to.equal(emulator.issuer('2.0', tid));
    expect(v1.version).to.equal('1.0');
    expect(v1.claims.iss).to.equal(emulator.issuer('1.0', tid));
    expect(emulator.issuer('1.0', tid)).to.not.equal(emulator.issuer('2.0', tid));
    expect((await provider.getOpenIdConfig('1.0')).issuer).to.equal(emulator.issuer('1.0', tid));
    expect(emulator.requestLog.filter((line) => line.includes('openid-configuration'))).to.have.length(2);
  });

  it('refuses a missing ver, or one other than "1.0" and "2.0"', async () => {
    for (const ver of [undefined, '3.0', '2', 2, 2.0, '1.0 ', null]) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ claims: { ver } })),
        'version_invalid',
      );
    }
  });

  it('refuses ver only in its turn: a bad signature or an expired token is named first', async () => {
    const { emulator, provider } = harness;
    const [header, payload, signature] = emulator.mintAccessToken({ claims: { ver: '3.0' } }).split('.') as [
      string,
      string,
      string,
    ];
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0]! ^= 1;
    await expectRejection(
      provider.verifyToken(`${header}.${payload}.${flipped.toString('base64url')}`),
      'signature_invalid',
    );
    const now = Math.floor(harness.clock.now() / 1000);
    await expectRejection(
      provider.verifyToken(
        emulator.mintAccessToken({ claims: { ver: undefined, iat: now - 7200, nbf: now - 7200, exp: now - 3600 } }),
      ),
      'token_expired',
    );
  });

  it('refuses a v2 token carrying the v1 issuer, and the reverse', async () => {
    const { emulator, provider } = harness;
    const tid = emulator.tenants.primary.id;
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ version: '2.0', claims: { iss: emulator.issuer('1.0', tid) } })),
      'issuer_invalid',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ version: '1.0', claims: { iss: emulator.issuer('2.0', tid) } })),
      'issuer_invalid',
    );
  });
});
