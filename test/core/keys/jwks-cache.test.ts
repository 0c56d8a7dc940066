import { expect } from 'chai';
import { TemporarilyUnavailableException } from '../../../src';
import { EntraEmulator, ManualClock } from '../../../src/testing';
import { createProvider, expectRejection, startHarness, type Harness } from '../../support/harness';

const COOLDOWN = 300;
const REFRESH = 43200;

describe('JwksCache: discovery per tenant and version, then keys from the authority host', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('fetches the v2 discovery document, then its key set, and nothing for v1 until a v1 token arrives', async () => {
    const { emulator, provider } = harness;
    await provider.verifyToken(emulator.mintAccessToken());
    expect(emulator.requestLog).to.deep.equal([
      `GET /${emulator.tenants.primary.id}/v2.0/.well-known/openid-configuration`,
      `GET /${emulator.tenants.primary.id}/discovery/v2.0/keys`,
    ]);
    await provider.verifyToken(emulator.mintAccessToken({ version: '1.0' }));
    expect(emulator.requestLog.slice(2)).to.deep.equal([
      `GET /${emulator.tenants.primary.id}/.well-known/openid-configuration`,
      `GET /${emulator.tenants.primary.id}/discovery/keys`,
    ]);
  });

  it("exposes the original's getOpenIdConfig, loadJwks and getKeys on the provider", async () => {
    const { emulator, provider } = harness;
    expect(provider.getKeys('2.0').size).to.equal(0);
    const config = await provider.getOpenIdConfig();
    expect(config.issuer).to.equal(emulator.issuer('2.0', emulator.tenants.primary.id));
    expect(config.jwksUri).to.equal(`${emulator.baseUrl}/${emulator.tenants.primary.id}/discovery/v2.0/keys`);
    expect([...(await provider.loadJwks()).keys()]).to.deep.equal([emulator.currentKid]);
    expect([...provider.getKeys().keys()]).to.deep.equal([emulator.currentKid]);
    expect(emulator.requestCount('keys')).to.equal(2);
  });

  it('appends ?appid= to discovery for apps with custom signing keys, and accepts their keys', async () => {
    const custom = await startHarness({ signingKeysAppId: '2b3c4d5e-0000-4000-8000-000000000001' });
    try {
      const kid = await custom.emulator.addAppSigningKey('2b3c4d5e-0000-4000-8000-000000000001');
      await custom.provider.verifyToken(custom.emulator.mintAccessToken({ kid }));
      expect(custom.emulator.requestLog[0]).to.match(
        /openid-configuration\?appid=2b3c4d5e-0000-4000-8000-000000000001$/,
      );
      expect(custom.emulator.requestLog[1]).to.match(/keys\?appid=2b3c4d5e-0000-4000-8000-000000000001$/);
    } finally {
      await custom.close();
    }
  });

  it('refuses a jwks_uri off the authority host: the other host sees no request', async () => {
    const other = await EntraEmulator.start({ clock: harness.clock });
    try {
      harness.emulator.patchDiscovery('2.0', {
        jwks_uri: `${other.baseUrl}/${other.tenants.primary.id}/discovery/v2.0/keys`,
      });
      const error = await expectRejection(
        harness.provider.verifyToken(harness.emulator.mintAccessToken()),
        'keys_unavailable',
      );
      expect(error.status).to.equal(503);
      expect(other.requestLog).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });

  it('refuses a single-tenant discovery document whose issuer names another tenant, or a multi-tenant one without {tenantid}', async () => {
    harness.emulator.patchDiscovery('2.0', {
      issuer: harness.emulator.issuer('2.0', harness.emulator.tenants.secondary.id),
    });
    await expectRejection(harness.provider.verifyToken(harness.emulator.mintAccessToken()), 'keys_unavailable');
    const multi = createProvider(harness.emulator, harness.clock, { tenantId: 'common', validateTenant: false });
    try {
      harness.emulator.patchDiscovery('2.0', {
        issuer: harness.emulator.issuer('2.0', harness.emulator.tenants.primary.id),
      });
      await expectRejection(multi.provider.verifyToken(harness.emulator.mintAccessToken()), 'keys_unavailable');
    } finally {
      multi.cache.close();
    }
  });
});

describe('JwksCache: single-flight', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('serves 200 concurrent first requests with one discovery and one key-set request', async () => {
    const { emulator, provider } = harness;
    const tokens = Array.from({ length: 200 }, () => emulator.mintAccessToken());
    const results = await Promise.all(tokens.map((token) => provider.verifyToken(token)));
    expect(results).to.have.length(200);
    expect(emulator.requestCount('discovery')).to.equal(1);
    expect(emulator.requestCount('keys')).to.equal(1);
  });

  it('serves 100 concurrent unknown-kid requests with one refetch', async () => {
    const { emulator, provider } = harness;
    emulator.resetCounters();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => provider.verifyToken(emulator.mintAccessToken({ kid: `unknown-${i}` }))),
    );
    expect(
      outcomes.every((outcome) => outcome.status === 'rejected' && outcome.reason.reason === 'key_not_found'),
    ).to.equal(true);
    expect(emulator.requestCount('keys')).to.equal(1);
  });
});

describe('JwksCache: unknown kid refetches at once the first time, then at most once per JWKS_COOLDOWN', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.provider.verifyToken(harness.emulator.mintAccessToken());
    harness.emulator.resetCounters();
  });
  afterEach(() => harness.close());

  it('picks up a rotated key with one key-set request', async () => {
    const { emulator, provider } = harness;
    const newKid = await emulator.rotateSigningKey();
    const verified = await provider.verifyToken(emulator.mintAccessToken());
    expect(verified.kid).to.equal(newKid);
    expect(emulator.requestCount('keys')).to.equal(1);
    await provider.verifyToken(emulator.mintAccessToken());
    expect(emulator.requestCount('keys')).to.equal(1);
  });

  it('answers key_not_found without fetching during the cooldown, and refetches once it has passed', async () => {
    const { clock, emulator, provider } = harness;
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ kid: 'unknown-1' })), 'key_not_found');
    expect(emulator.requestCount('keys')).to.equal(1);

    const rotated = await emulator.rotateSigningKey();
    await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'key_not_found');
    clock.advanceSeconds(COOLDOWN - 1);
    await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'key_not_found');
    expect(emulator.requestCount('keys')).to.equal(1);

    clock.advanceSeconds(1);
    expect((await provider.verifyToken(emulator.mintAccessToken())).kid).to.equal(rotated);
    expect(emulator.requestCount('keys')).to.equal(2);
  });

  it('never makes a request for a held kid wait behind a fetch under way', async () => {
    const { emulator, provider } = harness;
    emulator.setFault('keys', { kind: 'slow', delayMs: 1500 });
    const refetch = provider.verifyToken(emulator.mintAccessToken({ kid: 'unknown-1' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await provider.verifyToken(emulator.mintAccessToken());
    expect(Date.now() - started).to.be.below(1000);
    await expectRejection(refetch, 'key_not_found');
  });

  it('keeps the held keys when the refetch fails', async () => {
    const { emulator, provider } = harness;
    emulator.setFault('all', { kind: 'status', status: 500 });
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ kid: 'unknown-1' })), 'key_not_found');
    expect(emulator.requestCount('discovery')).to.equal(1);
    await provider.verifyToken(emulator.mintAccessToken());
  });
});

describe('JwksCache: scheduled background refresh every JWKS_REFRESH_INTERVAL (±5 %)', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
    await harness.provider.verifyToken(harness.emulator.mintAccessToken());
    harness.emulator.resetCounters();
  });
  afterEach(() => harness.close());

  async function settle(): Promise<void> {
    // The refresh runs real HTTP in the background; give it the event-loop turns it needs.
    for (let i = 0; i < 50 && harness.emulator.requestCount('keys') === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('does not refresh before 95 % of the interval, and refreshes by 105 %', async () => {
    const { clock, emulator } = harness;
    clock.advanceSeconds(REFRESH * 0.95 - 1);
    await settle();
    expect(emulator.requestCount('keys')).to.equal(0);
    clock.advanceSeconds(REFRESH * 0.1 + 2);
    await settle();
    expect(emulator.requestCount('keys')).to.equal(1);
  });

  it('drops a removed kid after the refresh, and serves the new set without any request on the path', async () => {
    const { clock, emulator, provider } = harness;
    const oldKid = emulator.currentKid;
    const oldToken = emulator.mintAccessToken({ lifetimeSeconds: 2 * REFRESH });
    const newKid = await emulator.rotateSigningKey();
    emulator.removeSigningKey(oldKid);
    clock.advanceSeconds(REFRESH * 1.05);
    await settle();
    expect(emulator.requestCount('keys')).to.equal(1);
    expect(provider.getKeys().has(oldKid)).to.equal(false);
    expect((await provider.verifyToken(emulator.mintAccessToken())).kid).to.equal(newKid);
    expect(emulator.requestCount('keys')).to.equal(1);
    await expectRejection(provider.verifyToken(oldToken), 'key_not_found');
  });

  it('keeps validating with the held keys when a scheduled refresh fails', async () => {
    const { clock, emulator, provider } = harness;
    emulator.setFault('keys', { kind: 'status', status: 503 });
    clock.advanceSeconds(REFRESH * 1.05);
    await settle();
    expect(emulator.requestCount('keys')).to.equal(1);
    await provider.verifyToken(emulator.mintAccessToken());
    expect(emulator.requestCount('keys')).to.equal(1);
  });

  it('cancels its scheduled refresh on close()', async () => {
    expect(harness.clock.pendingTaskCount).to.equal(1);
    harness.cache.close();
    expect(harness.clock.pendingTaskCount).to.equal(0);
  });
});

describe('JwksCache: no keys at all gives keys_unavailable (503 with Retry-After), never a crash', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock });
  });
  afterEach(() => emulator.setFault('all', undefined));
  after(() => emulator.close());

  async function expectUnavailable(overrides = {}): Promise<TemporarilyUnavailableException> {
    const { provider, cache } = createProvider(emulator, clock, overrides);
    try {
      const error = await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
      expect(error).to.be.instanceOf(TemporarilyUnavailableException);
      expect(error.status).to.equal(503);
      expect((error as TemporarilyUnavailableException).retryAfterSeconds).to.be.at.least(1);
      return error as TemporarilyUnavailableException;
    } finally {
      cache.close();
    }
  }

  it('when the authority is down', async () => {
    emulator.setFault('all', { kind: 'down' });
    await expectUnavailable();
  });

  it('when discovery or keys answer a non-200 status', async () => {
    emulator.setFault('discovery', { kind: 'status', status: 500 });
    await expectUnavailable();
    emulator.setFault('all', undefined);
    emulator.setFault('keys', { kind: 'status', status: 404 });
    await expectUnavailable();
  });

  it('when a document is garbage, or the key set holds no usable key', async () => {
    for (const body of ['<html>oops</html>', '{"keys":', '{"keys":"nope"}', '{"keys":[]}', '[]', 'null']) {
      emulator.setFault('keys', { kind: 'garbage', body });
      await expectUnavailable();
    }
    emulator.setFault('keys', undefined);
    emulator.setFault('discovery', { kind: 'garbage', body: '{"issuer":42}' });
    await expectUnavailable();
  });

  it('when the answer is slower than HTTP_TIMEOUT_MS, within that time', async () => {
    emulator.setFault('keys', { kind: 'slow', delayMs: 5000 });
    const started = Date.now();
    await expectUnavailable({ httpTimeoutMs: 200 });
    expect(Date.now() - started).to.be.below(4000);
  });

  it('when the body grows past HTTP_MAX_BYTES: the read is aborted near the cap', async () => {
    emulator.resetCounters();
    emulator.setFault('keys', { kind: 'huge', bytes: 50 * 1024 * 1024 });
    await expectUnavailable({ httpMaxBytes: 65536 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.bytesSent('keys')).to.be.below(4 * 1024 * 1024);
  });

  it('when redirected: the redirect is not followed and its target sees no request', async () => {
    const other = await EntraEmulator.start({ clock });
    try {
      emulator.setFault('keys', {
        kind: 'redirect',
        location: `${other.baseUrl}/${other.tenants.primary.id}/discovery/v2.0/keys`,
      });
      await expectUnavailable();
      expect(other.requestLog).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });

  it('when the held keys are older than JWKS_STALE_MAX_AGE and no refresh succeeds', async () => {
    const { provider, cache } = createProvider(emulator, clock, { jwksRefreshInterval: 600, jwksStaleMaxAge: 3600 });
    try {
      await provider.verifyToken(emulator.mintAccessToken());
      emulator.setFault('all', { kind: 'down' });
      clock.advanceSeconds(3600);
      await provider.verifyToken(emulator.mintAccessToken());
      clock.advanceSeconds(1);
      await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
      expect(provider.getKeys().size).to.equal(0);
    } finally {
      cache.close();
    }
  });

  it('retries only after a backoff while no keys are held, and recovers once the authority answers', async () => {
    const { provider, cache } = createProvider(emulator, clock);
    try {
      emulator.resetCounters();
      emulator.setFault('all', { kind: 'status', status: 500 });
      await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
      const second = await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
      expect((second as TemporarilyUnavailableException).retryAfterSeconds).to.equal(1);
      expect(emulator.requestCount('discovery')).to.equal(1);

      emulator.setFault('all', undefined);
      clock.advanceSeconds(1);
      await provider.verifyToken(emulator.mintAccessToken());
      expect(emulator.requestCount('discovery')).to.equal(2);
    } finally {
      cache.close();
    }
  });
});

describe('JwksCache: health and events for operators', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  it('reports per version: state, keys held, age, last success and error, counts; no URL or secret', async () => {
    const { cache, clock, emulator, provider } = harness;
    expect(cache.health().healthy).to.equal(false);
    expect(cache.health().keySets.map((k) => k.state)).to.deep.equal(['not_loaded', 'not_loaded']);
    await provider.verifyToken(emulator.mintAccessToken());
    clock.advanceSeconds(90);
    let v2 = cache.health().keySets.find((k) => k.version === '2.0')!;
    expect(cache.health().healthy).to.equal(true);
    expect(v2).to.deep.include({
      state: 'fresh',
      keys: 1,
      ageSeconds: 90,
      fetches: 1,
      failures: 0,
      lastError: undefined,
    });
    expect(v2.lastSuccessAt).to.equal(new Date(clock.now() - 90_000).toISOString());

    emulator.setFault('keys', { kind: 'status', status: 500 });
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ kid: 'unknown' })), 'key_not_found');
    v2 = cache.health().keySets.find((k) => k.version === '2.0')!;
    expect(v2).to.deep.include({
      state: 'stale',
      keys: 1,
      fetches: 2,
      failures: 1,
      consecutiveFailures: 1,
      lastError: 'http_status',
      unknownKidRequests: 1,
    });
    expect(cache.health().healthy).to.equal(true);
    expect(JSON.stringify(cache.health())).to.not.contain('http://');
  });

  it('emits unknown_kid with the count of unknown-kid requests since the last refetch', async () => {
    const { cache, clock, emulator, provider } = harness;
    await provider.verifyToken(emulator.mintAccessToken());
    const events: unknown[] = [];
    cache.on('unknown_kid', (event) => events.push(event));
    for (let i = 0; i < 5; i++) {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken({ kid: `unknown-${i}` })), 'key_not_found');
    }
    clock.advanceSeconds(COOLDOWN);
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ kid: 'unknown-late' })), 'key_not_found');
    expect(events).to.deep.equal([
      { version: '2.0', kid: 'unknown-0', requests: 1, refetched: true },
      { version: '2.0', kid: 'unknown-late', requests: 5, refetched: true },
    ]);
  });

  it('keeps working when a listener throws', async () => {
    const { cache, emulator, provider } = harness;
    cache.on('keys_refreshed', () => {
      throw new Error('listener bug');
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    try {
      await provider.verifyToken(emulator.mintAccessToken());
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((message) => message.includes('keys_refreshed'))).to.equal(true);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
