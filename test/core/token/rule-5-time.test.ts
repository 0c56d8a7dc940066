import { expect } from 'chai';
import { signJwt } from '../../../src/testing';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

const SKEW = 300;

describe('Rule 5: exp required, a number up to year 9999 and after now - skew; nbf and iat not after now + skew; nbf <= exp', () => {
  let harness: Harness;
  let now: number;
  before(async () => {
    harness = await startHarness();
  });
  beforeEach(() => {
    now = Math.floor(harness.clock.now() / 1000);
  });
  after(() => harness.close());

  const verify = (claims: Record<string, unknown>) =>
    harness.provider.verifyToken(harness.emulator.mintAccessToken({ claims }));

  it('accepts a token inside its lifetime, and within the skew on either side', async () => {
    expect((await verify({ iat: now, nbf: now, exp: now + 3600 })).claims.exp).to.equal(now + 3600);
    await verify({ iat: now - 3600, nbf: now - 3600, exp: now - SKEW + 1 });
    await verify({ nbf: now + SKEW, iat: now + SKEW });
  });

  it('refuses a token without exp, or with exp that is not a finite number up to 253402300799', async () => {
    for (const exp of [undefined, String(now + 3600), null, true, [now + 3600], 1e300, 253402300800]) {
      await expectRejection(verify({ exp }), 'token_malformed');
    }
  });

  it('refuses exp: 1e400, which JSON.parse reads as Infinity', async () => {
    const claims = harness.emulator.mintAccessToken().split('.')[1]!;
    const json = Buffer.from(claims, 'base64url')
      .toString()
      .replace(/"exp":\d+/, '"exp":1e400');
    const key = harness.emulator.privateKeyFor(harness.emulator.currentKid);
    const token = signJwt({ alg: 'RS256', kid: harness.emulator.currentKid }, Buffer.from(json), key);
    await expectRejection(harness.provider.verifyToken(token), 'token_malformed');
  });

  it('refuses a token expired by more than the skew', async () => {
    await expectRejection(verify({ exp: now - SKEW }), 'token_expired');
    await expectRejection(verify({ exp: now - SKEW - 1 }), 'token_expired');
  });

  it('expires a token as the injected clock moves past exp + skew', async () => {
    const token = harness.emulator.mintAccessToken({ lifetimeSeconds: 60 });
    await harness.provider.verifyToken(token);
    harness.clock.advanceSeconds(60 + SKEW);
    await expectRejection(harness.provider.verifyToken(token), 'token_expired');
  });

  it('refuses nbf after now + skew', async () => {
    await expectRejection(verify({ nbf: now + SKEW + 1 }), 'token_not_yet_valid');
  });

  it('refuses iat after now + skew', async () => {
    await expectRejection(verify({ iat: now + SKEW + 1 }), 'iat_in_future');
  });

  it('refuses nbf or iat that are not numbers', async () => {
    await expectRejection(verify({ nbf: String(now) }), 'token_malformed');
    await expectRejection(verify({ iat: null }), 'token_malformed');
  });

  it('refuses nbf after exp, even inside the skew', async () => {
    await expectRejection(verify({ nbf: now + 10, exp: now + 5 }), 'token_malformed');
  });
});
