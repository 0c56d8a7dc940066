import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

describe('Rule 2: alg in ALGORITHMS; kid a string of 1-256 characters; jwk, jku, x5u, x5c never followed; any crit rejected', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts an RS256 token with a well-formed kid', async () => {
    const verified = await harness.provider.verifyToken(harness.emulator.mintAccessToken());
    expect(verified.header.alg).to.equal('RS256');
    expect(verified.kid).to.equal(harness.emulator.currentKid);
  });

  it('refuses algorithms outside ALGORITHMS, including RSA ones not configured and every spelling of none', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE', 'HS256', 'rs256', 'RS256 ', '', 'ES256']) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { alg } })),
        'alg_not_allowed',
      );
    }
    for (const alg of [null, 256, ['RS256'], { name: 'RS256' }]) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { alg } })),
        'alg_not_allowed',
      );
    }
    await expectRejection(
      harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { alg: undefined } })),
      'alg_not_allowed',
    );
    for (const alg of ['PS256', 'RS384'] as const) {
      await expectRejection(harness.provider.verifyToken(harness.emulator.mintAccessToken({ alg })), 'alg_not_allowed');
    }
  });

  it('accepts another RSA algorithm once ALGORITHMS lists it', async () => {
    const pss = await startHarness({ algorithms: ['RS256', 'PS256'] });
    try {
      const verified = await pss.provider.verifyToken(pss.emulator.mintAccessToken({ alg: 'PS256' }));
      expect(verified.header.alg).to.equal('PS256');
    } finally {
      await pss.close();
    }
  });

  it('refuses a kid that is missing, empty, longer than 256 characters, not a string, or carries control characters', async () => {
    for (const kid of [
      undefined,
      '',
      'k'.repeat(257),
      42,
      null,
      { kid: 'x' },
      ['x'],
      'a\r\nb',
      '\u001b[31mred',
      'tab\there',
      'sp ace',
    ]) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { kid } })),
        'kid_invalid',
      );
    }
    await expectRejection(
      harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { kid: 'k'.repeat(256) } })),
      'key_not_found',
    );
  });

  it('never follows jwk, jku, x5u or x5c: a token carrying its own key is judged by the published keys only', async () => {
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
    harness.emulator.resetCounters();
    const trap = `${harness.emulator.baseUrl}/attacker/keys`;
    for (const header of [
      { jwk: { ...attackerJwk, kid: 'attacker' }, kid: 'attacker' },
      { jku: trap, kid: 'attacker' },
      { x5u: trap, kid: 'attacker' },
      { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'], kid: 'attacker' },
    ]) {
      const token = harness.emulator.mintAccessToken({ header, signingKey: attacker.privateKey });
      await expectRejection(harness.provider.verifyToken(token), 'key_not_found');
    }
    const sameKid = harness.emulator.mintAccessToken({
      header: { jwk: attackerJwk, jku: trap },
      signingKey: attacker.privateKey,
    });
    await expectRejection(harness.provider.verifyToken(sameKid), 'signature_invalid');
    expect(harness.emulator.requestLog.filter((line) => line.includes('/attacker/'))).to.deep.equal([]);
  });

  it('refuses any crit, whatever it lists', async () => {
    for (const crit of [['b64'], [], ['exp'], 'b64', null]) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { crit, b64: false } })),
        'token_malformed',
      );
    }
  });

  it('refuses any b64 member, with or without crit: RFC 7797 changes what the signature covers', async () => {
    for (const b64 of [false, true, 'false', 0]) {
      await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken({ header: { b64 } })),
        'token_malformed',
      );
    }
  });
});
