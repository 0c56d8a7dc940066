import * as http from 'node:http';
import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { JwksCache, type JwksCacheEventName, type JwksCacheEvents, type SettingsInput } from '../../../src';
import { EntraEmulator, ManualClock } from '../../../src/testing';
import { withApp, type TestApp } from '../../support/app';
import { bearer, get } from '../../support/http';
import { InMemoryTelemetry, expectNoPersonalOrSecretAttributes } from '../../support/in-memory-telemetry';

@JsonController('/resilience')
class ResilienceController {
  @Authorized()
  @Get('/protected')
  protectedRoute() {
    return { ok: true };
  }

  @Get('/open')
  open() {
    return { ok: true };
  }
}

const REFRESH = 43200;
const COOLDOWN = 300;

interface Scenario {
  readonly clock: ManualClock;
  readonly emulator: EntraEmulator;
  readonly app: TestApp;
  readonly cache: JwksCache;
  status(token?: string): Promise<number>;
  /** Resolves with the next event of that name (real I/O finishing after the clock moved). */
  next<E extends JwksCacheEventName>(event: E): Promise<JwksCacheEvents[E]>;
  close(): Promise<void>;
}

async function scenario(settings: SettingsInput = {}): Promise<Scenario> {
  const app = await withApp({ controllers: [ResilienceController], settings });
  const cache = app.container.resolve(JwksCache);
  return {
    clock: app.clock,
    emulator: app.emulator,
    app,
    cache,
    async status(token) {
      return (await get(`${app.url}/resilience/protected`, token ? bearer(token) : {})).status;
    },
    next(event) {
      return new Promise((resolve) => {
        const listener = (payload: JwksCacheEvents[typeof event]): void => {
          cache.off(event, listener);
          resolve(payload);
        };
        cache.on(event, listener);
      });
    },
    close() {
      return app.close();
    },
  };
}

/** Sends `count` requests, `concurrency` at a time, over keep-alive connections; returns the status counts. */
async function flood(url: string, token: string, count: number): Promise<Map<number, number>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const statuses = new Map<number, number>();
  try {
    for (let sent = 0; sent < count; sent += 50) {
      const batch = Array.from({ length: Math.min(50, count - sent) }, () => get(url, bearer(token), agent));
      for (const { status } of await Promise.all(batch)) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  } finally {
    agent.destroy();
  }
  return statuses;
}

const summary = { tried: 0, passed: 0, floodRequests: { healthy: 0, outage: 0 } };

describe('JWKS resilience: fault injection against the emulator, through real HTTP, time moved by the clock', () => {
  let s: Scenario;
  // Every app of the suite reports to an OpenTelemetry SDK, whose output is judged at the end.
  let telemetry: InMemoryTelemetry;
  before(() => {
    telemetry = InMemoryTelemetry.start();
  });
  afterEach(async function () {
    summary.tried++;
    if (this.currentTest?.state === 'passed') summary.passed++;
    await s?.close();
  });
  after(async () => {
    // Whatever the faults, no metric or span attribute holds a token, tenant or user id, email or URL.
    const judged = expectNoPersonalOrSecretAttributes(await telemetry.points(), telemetry.spans());
    expect(judged, 'attribute sets exported').to.be.greaterThan(50);
    await telemetry.stop();
    console.log(`      telemetry: ${judged} exported attribute sets, none holding a token, tenant, user, email or URL`);
    console.log(
      `      resilience summary: ${summary.tried} faults tried, ${summary.passed} passed; key-set requests during 10,000-request unknown-kid floods: ${summary.floodRequests.healthy} with the authority healthy, ${summary.floodRequests.outage} during an outage`,
    );
  });

  it("authority down at startup: 503 with Retry-After, process alive, recovered within 30 s of the authority's return", async () => {
    s = await scenario();
    s.emulator.setFault('all', { kind: 'down' });
    const first = await get(`${s.app.url}/resilience/protected`, bearer(s.emulator.mintAccessToken()));
    expect(first.status).to.equal(503);
    expect(Number(first.headers['retry-after'])).to.be.at.least(1);
    expect((await get(`${s.app.url}/resilience/open`)).status).to.equal(200);

    // Ten minutes of outage: the background retries back off from 1 s to a 30 s cap.
    const retries: number[] = [];
    for (let elapsed = 0; elapsed < 600;) {
      const failure = s.next('refresh_failed');
      const wait = Math.max(
        1,
        Number(
          (await get(`${s.app.url}/resilience/protected`, bearer(s.emulator.mintAccessToken()))).headers['retry-after'],
        ),
      );
      s.clock.advanceSeconds(wait);
      elapsed += wait;
      retries.push((await failure).retryInSeconds);
    }
    expect(retries.slice(0, 6)).to.deep.equal([2, 4, 8, 16, 30, 30]);
    expect(s.emulator.requestCount('discovery')).to.equal(retries.length + 1);

    s.emulator.setFault('all', undefined);
    const recovered = s.next('keys_refreshed');
    s.clock.advanceSeconds(30);
    await recovered;
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
  });

  it('down after a good start: known kids 200 on the last good keys, unknown kids 401, at most one request per backoff step', async () => {
    s = await scenario();
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.setFault('all', { kind: 'down' });
    s.emulator.resetCounters();

    const stale = s.next('serving_stale_keys');
    s.clock.advanceSeconds(REFRESH * 1.05);
    await stale;
    const steps: number[] = [];
    for (let i = 0; i < 8; i++) {
      expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
      expect(await s.status(s.emulator.mintAccessToken({ kid: `rotated-${i}` }))).to.equal(401);
      const failed = s.next('refresh_failed');
      s.clock.advanceSeconds(steps.at(-1) ?? 30);
      steps.push((await failed).retryInSeconds);
    }
    expect(steps).to.deep.equal([60, 120, 240, 300, 300, 300, 300, 300]);
    expect(s.emulator.requestCount('discovery')).to.equal(1 + steps.length);
    expect(s.cache.health().keySets.find((k) => k.version === '2.0')!.state).to.equal('stale');
  });

  it('slow authority (longer than the timeout): an unknown kid is answered within timeout + 1 s, known kids unaffected', async () => {
    s = await scenario({ httpTimeoutMs: 500 });
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.setFault('all', { kind: 'slow', delayMs: 3000 });
    const started = Date.now();
    const unknown = s
      .status(s.emulator.mintAccessToken({ kid: 'rotated' }))
      .then((status) => ({ status, ms: Date.now() - started }));
    const known = await s.status(s.emulator.mintAccessToken());
    const knownMs = Date.now() - started;
    const { status, ms } = await unknown;
    expect(known).to.equal(200);
    expect(status).to.equal(401);
    expect(ms).to.be.below(500 + 1000);
    expect(knownMs).to.be.below(ms);
  });

  for (const [label, body] of [
    ['500', undefined],
    ['HTML', '<!doctype html><title>Service unavailable</title>'],
    ['truncated JSON', '{"keys":[{"kty":"RSA","kid":"x"'],
    ['{"keys":"nope"}', '{"keys":"nope"}'],
    ['zero usable keys', '{"keys":[{"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"}]}'],
  ] as const) {
    it(`key set answers ${label}: the last good keys are kept, counted as a failed refresh`, async () => {
      s = await scenario();
      expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
      s.emulator.setFault('keys', body === undefined ? { kind: 'status', status: 500 } : { kind: 'garbage', body });
      s.emulator.resetCounters();
      const failed = s.next('refresh_failed');
      s.clock.advanceSeconds(REFRESH * 1.05);
      const event = await failed;
      expect(event.reason).to.equal(
        body === undefined
          ? 'http_status'
          : label === '{"keys":"nope"}'
            ? 'invalid_key_set'
            : label === 'zero usable keys'
              ? 'no_usable_keys'
              : 'invalid_json',
      );
      expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
      expect(s.emulator.requestCount('keys')).to.equal(1);
      const health = s.cache.health().keySets.find((k) => k.version === '2.0')!;
      expect([health.failures, health.state, health.keys]).to.deep.equal([1, 'stale', 1]);
    });
  }

  it('a 50 MB key set: the read is aborted at the cap (bytes counted by the emulator)', async () => {
    s = await scenario({ httpMaxBytes: 1048576 });
    s.emulator.setFault('keys', { kind: 'huge', bytes: 50 * 1024 * 1024 });
    const failed = s.next('keys_unavailable');
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(503);
    expect((await failed).reason).to.equal('too_large');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(s.emulator.bytesSent('keys')).to.be.below(8 * 1024 * 1024);
  });

  it('a redirect to another host is not followed: the other host sees no request', async () => {
    s = await scenario();
    const other = await EntraEmulator.start({ clock: s.clock });
    try {
      s.emulator.setFault('keys', {
        kind: 'redirect',
        location: `${other.baseUrl}/${other.tenants.primary.id}/discovery/v2.0/keys`,
      });
      expect(await s.status(s.emulator.mintAccessToken())).to.equal(503);
      expect(other.requestLog).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });

  it('a new kid appears: picked up by one key-set request, its tokens 200', async () => {
    s = await scenario();
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.resetCounters();
    await s.emulator.rotateSigningKey();
    const refreshed = s.next('keys_refreshed');
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    expect((await refreshed).kidsAdded).to.equal(1);
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    expect(s.emulator.requestCount('keys')).to.equal(1);
  });

  it('a kid is removed: its tokens 401 after the refresh', async () => {
    s = await scenario();
    const oldKid = s.emulator.currentKid;
    const oldToken = s.emulator.mintAccessToken({ lifetimeSeconds: 2 * REFRESH });
    expect(await s.status(oldToken)).to.equal(200);
    await s.emulator.rotateSigningKey();
    s.emulator.removeSigningKey(oldKid);
    const refreshed = s.next('keys_refreshed');
    s.clock.advanceSeconds(REFRESH * 1.05);
    expect((await refreshed).kidsRemoved).to.equal(1);
    expect(await s.status(oldToken)).to.equal(401);
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
  });

  it('the discovery document changes its issuer: refused as insane, the old configuration kept, an event emitted', async () => {
    s = await scenario({ tenantId: 'organizations', validateTenant: false });
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.patchDiscovery('2.0', { issuer: 'https://attacker.example/{tenantid}/v2.0' });
    const failed = s.next('refresh_failed');
    s.clock.advanceSeconds(REFRESH * 1.05);
    expect((await failed).reason).to.equal('discovery_changed');
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    expect(
      await s.status(
        s.emulator.mintAccessToken({
          claims: { iss: `https://attacker.example/${s.emulator.tenants.primary.id}/v2.0` },
        }),
      ),
    ).to.equal(401);
  });

  it('stale beyond JWKS_STALE_MAX_AGE: 503', async () => {
    s = await scenario();
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.setFault('all', { kind: 'status', status: 500 });
    s.clock.advanceSeconds(86400);
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.clock.advanceSeconds(1);
    const response = await get(`${s.app.url}/resilience/protected`, bearer(s.emulator.mintAccessToken()));
    expect(response.status).to.equal(503);
    expect(Number(response.headers['retry-after'])).to.be.at.least(1);
    expect(s.cache.health().healthy).to.equal(false);
  });

  it('10,000 unknown-kid requests, authority healthy: at most one key-set request per cooldown, known kids 200 throughout', async () => {
    s = await scenario();
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.resetCounters();
    const stranger = s.emulator.mintAccessToken({ kid: 'not-published' });
    const known = s.emulator.mintAccessToken();
    const windows = 4;
    for (let window = 0; window < windows; window++) {
      const statuses = await flood(`${s.app.url}/resilience/protected`, stranger, 10000 / windows);
      expect([...statuses]).to.deep.equal([[401, 10000 / windows]]);
      expect(await s.status(known)).to.equal(200);
      s.clock.advanceSeconds(COOLDOWN);
    }
    summary.floodRequests.healthy = s.emulator.requestCount('keys');
    expect(s.emulator.requestCount('keys')).to.be.at.most(windows);
  });

  it('10,000 unknown-kid requests during an outage: requests bounded by the backoff schedule, no 5xx', async () => {
    s = await scenario();
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
    s.emulator.setFault('all', { kind: 'down' });
    s.emulator.resetCounters();
    const stranger = s.emulator.mintAccessToken({ kid: 'not-published' });
    const statuses = new Map<number, number>();
    // 10,000 requests spread over 20 minutes of outage.
    for (let minute = 0; minute < 20; minute++) {
      for (const [status, count] of await flood(`${s.app.url}/resilience/protected`, stranger, 500)) {
        statuses.set(status, (statuses.get(status) ?? 0) + count);
      }
      s.clock.advanceSeconds(60);
    }
    expect([...statuses]).to.deep.equal([[401, 10000]]);
    summary.floodRequests.outage = s.emulator.requestCount('discovery');
    // Backoff 30, 60, 120, 240, 300, 300 … s: at most 1 + 20 × 60 / 300 + 4 attempts in 20 minutes.
    expect(s.emulator.requestCount('discovery')).to.be.at.most(9);
    expect(await s.status(s.emulator.mintAccessToken())).to.equal(200);
  });
});
