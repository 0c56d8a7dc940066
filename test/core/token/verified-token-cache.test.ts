import { expect } from 'chai';
import { ConfigurationError, loadSettings } from '../../../src';
import { EntraEmulator, ManualClock } from '../../../src/testing';
import { VerifiedTokenCache, entryBytes } from '../../../src/core/token/verified-token-cache';
import type { VerifiedAccessToken } from '../../../src/core/token/verified-access-token';
import type { SigningKey } from '../../../src/core/keys/signing-key';
import { createProvider, expectRejection } from '../../support/harness';

const SKEW = 300;

describe('Verified-token cache: a repeated token is served from the cache while every rule that can change still holds', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  const closers: Array<() => void> = [];
  const provider = (overrides: Parameters<typeof createProvider>[2] = {}) => {
    const created = createProvider(emulator, clock, overrides);
    closers.push(() => created.cache.close());
    return created;
  };

  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock, signingKeyCount: 2 });
  });
  afterEach(() => closers.splice(0).forEach((close) => close()));
  after(() => emulator.close());

  it('returns the verification of the first request for a repeated token (the same frozen object)', async () => {
    const { provider: verifier } = provider();
    const token = emulator.mintAccessToken();
    const first = await verifier.verifyToken(token);
    expect(await verifier.verifyToken(token)).to.equal(first);
    // Tokens arrive as new strings on every request: the key is the token's text, not its identity.
    expect(await verifier.verifyToken(Buffer.from(token).toString())).to.equal(first);
  });

  it('verifies every request in full when TOKEN_CACHE_MAX_ENTRIES is 0', async () => {
    const { provider: verifier } = provider({ tokenCacheMaxEntries: 0 });
    const token = emulator.mintAccessToken();
    const first = await verifier.verifyToken(token);
    const second = await verifier.verifyToken(token);
    expect(second).to.not.equal(first);
    expect(second.claims).to.deep.equal(first.claims);
  });

  it('refuses a cached token once the injected clock passes exp + skew', async () => {
    const { provider: verifier } = provider();
    const token = emulator.mintAccessToken({ lifetimeSeconds: 60 });
    await verifier.verifyToken(token);
    clock.advanceSeconds(60 + SKEW);
    await expectRejection(verifier.verifyToken(token), 'token_expired');
  });

  it('refuses a cached token once the clock steps back before nbf - skew', async () => {
    const { provider: verifier } = provider();
    const token = emulator.mintAccessToken();
    await verifier.verifyToken(token);
    // A system clock corrected backwards (NTP) must not let a not-yet-valid token through.
    clock.advanceSeconds(-(SKEW + 60));
    try {
      await expectRejection(verifier.verifyToken(token), 'token_not_yet_valid');
    } finally {
      clock.advanceSeconds(SKEW + 60);
    }
  });

  it('refuses a cached token whose kid left the key set (key_not_found), and keeps refusing it', async () => {
    const { provider: verifier, cache } = provider();
    const leaving = await emulator.addSigningKey();
    const token = emulator.mintAccessToken({ kid: leaving });
    await verifier.verifyToken(token);
    emulator.removeSigningKey(leaving);
    await cache.loadJwks('2.0');
    await expectRejection(verifier.verifyToken(token), 'key_not_found');
    await expectRejection(verifier.verifyToken(token), 'key_not_found');
  });

  it('verifies a cached token in full again after a key-set refresh, and accepts it when its key stayed', async () => {
    const { provider: verifier, cache } = provider();
    const token = emulator.mintAccessToken();
    const first = await verifier.verifyToken(token);
    await cache.loadJwks('2.0');
    const afterRefresh = await verifier.verifyToken(token);
    expect(afterRefresh).to.not.equal(first);
    expect(afterRefresh.claims).to.deep.equal(first.claims);
    expect(await verifier.verifyToken(token)).to.equal(afterRefresh);
  });

  it('fails closed (keys_unavailable) for a cached token once the key set is older than JWKS_STALE_MAX_AGE', async () => {
    const { provider: verifier } = provider({ jwksRefreshInterval: 600, jwksStaleMaxAge: 600 });
    const token = emulator.mintAccessToken({ lifetimeSeconds: 3600 });
    await verifier.verifyToken(token);
    emulator.setFault('keys', { kind: 'down' });
    emulator.setFault('discovery', { kind: 'down' });
    try {
      clock.advanceSeconds(700);
      await expectRejection(verifier.verifyToken(token), 'keys_unavailable');
    } finally {
      emulator.setFault('keys', undefined);
      emulator.setFault('discovery', undefined);
    }
  });

  it('caches only tokens that passed every rule: a refused token is refused again with its reason', async () => {
    const { provider: verifier } = provider();
    // Both fail after the signature verified, the last place a half-checked token could be kept.
    const wrongAudience = emulator.mintAccessToken({ claims: { aud: 'api://someone-else' } });
    const idToken = emulator.mintAccessToken({ claims: { scp: undefined, roles: undefined } });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expectRejection(verifier.verifyToken(wrongAudience), 'audience_invalid');
      await expectRejection(verifier.verifyToken(idToken), 'not_an_access_token');
    }
  });

  it('refuses a token carrying the signature of a cached token over another payload, and keeps the original cached', async () => {
    const { provider: verifier } = provider();
    const original = emulator.mintAccessToken();
    const first = await verifier.verifyToken(original);
    const [header, , signature] = original.split('.');
    const forgedPayload = emulator.mintAccessToken({ claims: { roles: ['Admin'] } }).split('.')[1];
    await expectRejection(verifier.verifyToken(`${header}.${forgedPayload}.${signature}`), 'signature_invalid');
    expect(await verifier.verifyToken(original)).to.equal(first);
  });

  it("is private to one provider: a token verified by one is judged by the other's own settings", async () => {
    const { provider: accepting } = provider();
    const { provider: otherAudience } = provider({ audiences: ['api://another-api'] });
    const token = emulator.mintAccessToken();
    await accepting.verifyToken(token);
    await expectRejection(otherAudience.verifyToken(token), 'audience_invalid');
  });

  it('holds at most TOKEN_CACHE_MAX_ENTRIES tokens; an evicted token costs one full verification, never a refusal', async () => {
    const { provider: verifier } = provider({ tokenCacheMaxEntries: 2 });
    const tokens = [1, 2, 3].map((n) => emulator.mintAccessToken({ claims: { uti: `token-${n}` } }));
    const first = await verifier.verifyToken(tokens[0]!);
    await verifier.verifyToken(tokens[1]!);
    await verifier.verifyToken(tokens[2]!);
    const again = await verifier.verifyToken(tokens[0]!);
    expect(again).to.not.equal(first);
    expect(again.claims).to.deep.equal(first.claims);
  });
});

describe('Verified-token cache: bounded in entries and in bytes, least recently used evicted first', () => {
  const entry = { verified: {} as VerifiedAccessToken, key: {} as SigningKey, bindingKeySet: undefined };
  const token = (n: number, length = 1700) => `header.payload.${n}-`.padEnd(length, 'x');

  it('never holds more entries than its maximum, and evicts the least recently used', () => {
    const cache = new VerifiedTokenCache(3);
    for (let n = 0; n < 3; n++) cache.set(token(n), entry);
    cache.get(token(0));
    cache.set(token(3), entry);
    expect(cache.size).to.equal(3);
    expect(cache.get(token(0))).to.equal(entry);
    expect(cache.get(token(1))).to.equal(undefined);
  });

  it('never holds more bytes than its budget, however few entries that leaves', () => {
    const budget = entryBytes(token(0, 16384)) * 4;
    const cache = new VerifiedTokenCache(1000, budget);
    for (let n = 0; n < 100; n++) cache.set(token(n, 16384), entry);
    expect(cache.bytes).to.be.at.most(budget);
    expect(cache.size).to.equal(4);
  });

  it('hits only for the whole token string: another token with the same signature segment neither hits nor evicts', () => {
    const cache = new VerifiedTokenCache(10);
    const original = 'header.payload.signature';
    cache.set(original, entry);
    expect(cache.get('header.forged-payload.signature')).to.equal(undefined);
    cache.delete('header.forged-payload.signature');
    expect(cache.get(original)).to.equal(entry);
  });

  it('holds nothing when its maximum is 0', () => {
    const cache = new VerifiedTokenCache(0);
    cache.set(token(0), entry);
    expect(cache.get(token(0))).to.equal(undefined);
    expect(cache.size).to.equal(0);
  });
});

describe('Setting TOKEN_CACHE_MAX_ENTRIES: default 10000, 0 turns the cache off, checked at startup', () => {
  const base = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', audiences: ['api://x'] };
  const variable = 'AUTH_PROVIDER_AZURE_ENTRA_ID_TOKEN_CACHE_MAX_ENTRIES';

  it('defaults to 10000 and reads the variable, 0 included', () => {
    expect(loadSettings(base, {}).tokenCacheMaxEntries).to.equal(10000);
    expect(loadSettings(base, { [variable]: '0' }).tokenCacheMaxEntries).to.equal(0);
    expect(loadSettings(base, { [variable]: '250' }).tokenCacheMaxEntries).to.equal(250);
  });

  it('refuses a value that is not a whole number from 0 to 1000000, naming the variable', () => {
    for (const value of ['-1', 'lots', '1000001', '1.5']) {
      expect(() => loadSettings(base, { [variable]: value }))
        .to.throw(ConfigurationError)
        .with.property('message')
        .that.includes(variable);
    }
  });
});
