import { createNoopMeter, metrics, trace, type Meter, type MeterProvider } from '@opentelemetry/api';
import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController, UseBefore } from 'routing-controllers';
import { Lifecycle, type DependencyContainer } from 'tsyringe';
import {
  EntraIdProvider,
  GraphGroupsProvider,
  GroupsProvider,
  JwksCache,
  Logger,
  type EntraIdUser,
  type JwksCacheEventName,
  type LogFields,
} from '../../../src';
import { requireScopes } from '../../../src/routing-controllers';
import type { EntraEmulator } from '../../../src/testing';
import { withApp, type TestApp, type TestAppOptions } from '../../support/app';
import { bearer, get } from '../../support/http';
import { InMemoryTelemetry, expectNoPersonalOrSecretAttributes } from '../../support/in-memory-telemetry';

@JsonController('/telemetry')
class TelemetryController {
  @Authorized()
  @Get('/protected')
  protectedRoute() {
    return { ok: true };
  }

  @Authorized(['Administrators'])
  @Get('/administrators')
  administrators() {
    return { ok: true };
  }

  @UseBefore(requireScopes(['Reports.Read']))
  @Get('/reports')
  reports() {
    return { ok: true };
  }

  @Authorized()
  @Get('/groups')
  async groups(@CurrentUser() user: EntraIdUser) {
    return { groups: await user.groups };
  }
}

const REFRESH = 43200;

function useGraph(container: DependencyContainer): void {
  container.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
}

function startApp(options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return withApp({
    controllers: [TelemetryController],
    settings: (emulator: EntraEmulator) => ({
      groupAliases: { Administrators: emulator.groups.administrators },
      clientSecret: emulator.clientSecret,
      graphUrl: emulator.graphUrl,
    }),
    ...options,
  });
}

/** The next event of that name from the app's key cache (fetches finish in real I/O after the clock moved). */
function next(app: TestApp, event: JwksCacheEventName): Promise<unknown> {
  const cache = app.container.resolve(JwksCache);
  return new Promise((resolve) => {
    const listener = (payload: unknown): void => {
      cache.off(event, listener);
      resolve(payload);
    };
    cache.on(event, listener);
  });
}

function status(app: TestApp, path: string, token?: string, headers: Record<string, string | string[]> = {}) {
  return get(`${app.url}/telemetry/${path}`, { ...(token ? bearer(token) : {}), ...headers }).then((r) => r.status);
}

function expiredToken(app: TestApp): string {
  const now = Math.floor(app.clock.now() / 1000);
  return app.emulator.mintAccessToken({ claims: { iat: now - 7200, nbf: now - 7200, exp: now - 3600 } });
}

describe('Telemetry: each instrument moves as what it measures happens (OpenTelemetry SDK, in-memory reader and span exporter)', () => {
  let telemetry: InMemoryTelemetry;
  let app: TestApp | undefined;
  beforeEach(() => {
    telemetry = InMemoryTelemetry.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    expectNoPersonalOrSecretAttributes(await telemetry.points(), telemetry.spans());
    await telemetry.stop();
  });

  it('entra_auth.token.validations and .validation.duration: accepted (cache miss, then hit), refused by reason, unavailable', async () => {
    app = await startApp();
    const { emulator, clock } = app;
    const validations = (attributes: Record<string, string>) =>
      telemetry.value('entra_auth.token.validations', attributes);

    const token = emulator.mintAccessToken({ lifetimeSeconds: 600 });
    expect(await status(app, 'protected', token)).to.equal(200);
    expect(await validations({ outcome: 'accepted', 'token.version': '2.0', cache: 'miss' })).to.equal(1);
    expect(await status(app, 'protected', token)).to.equal(200);
    expect(await validations({ outcome: 'accepted', 'token.version': '2.0', cache: 'hit' })).to.equal(1);
    expect(await status(app, 'protected', emulator.mintAccessToken({ version: '1.0' }))).to.equal(200);
    expect(await validations({ outcome: 'accepted', 'token.version': '1.0', cache: 'miss' })).to.equal(1);

    expect(await status(app, 'protected', expiredToken(app))).to.equal(401);
    expect(await validations({ outcome: 'refused', reason: 'token_expired', cache: 'miss' })).to.equal(1);
    expect(await status(app, 'protected', emulator.mintAccessToken({ audience: 'api://another-api' }))).to.equal(401);
    expect(await validations({ outcome: 'refused', reason: 'audience_invalid', 'token.version': '2.0' })).to.equal(1);
    const [header, payload] = token.split('.');
    expect(await status(app, 'protected', `${header}.${payload}.${'A'.repeat(342)}`)).to.equal(401);
    expect(await validations({ outcome: 'refused', reason: 'signature_invalid' })).to.equal(1);
    expect(
      await status(app, 'protected', undefined, { Authorization: [`Bearer ${token}`, `Bearer ${token}`] }),
    ).to.equal(401);
    const malformed = (await telemetry.points()).filter(
      (p) => p.name === 'entra_auth.token.validations' && p.attributes.reason === 'token_malformed',
    );
    // Two Authorization headers: refused before the token is read, so no version is known.
    expect(malformed.map((p) => [p.value, p.attributes['token.version'], p.attributes.cache])).to.deep.equal([
      [1, undefined, 'miss'],
    ]);

    // The cached token's lifetime ends: a cache hit, refused.
    clock.advanceSeconds(600 + 301);
    expect(await status(app, 'protected', token)).to.equal(401);
    expect(await validations({ outcome: 'refused', reason: 'token_expired', cache: 'hit' })).to.equal(1);
    // No bearer credentials is no validation.
    expect(await status(app, 'protected')).to.equal(401);

    expect(await validations({ outcome: 'accepted' })).to.equal(3);
    expect(await validations({ outcome: 'refused' })).to.equal(5);
    expect(await telemetry.value('entra_auth.token.validation.duration', { outcome: 'accepted' })).to.equal(3);
    expect(await telemetry.value('entra_auth.token.validation.duration', { outcome: 'refused' })).to.equal(5);

    // An authority down from the start: 503, counted as unavailable.
    const down = await startApp();
    try {
      down.emulator.setFault('all', { kind: 'down' });
      expect(await status(down, 'protected', down.emulator.mintAccessToken())).to.equal(503);
      expect(
        await validations({ outcome: 'unavailable', reason: 'keys_unavailable', 'token.version': '2.0' }),
      ).to.equal(1);
      expect(await telemetry.value('entra_auth.token.validation.duration', { outcome: 'unavailable' })).to.equal(1);
    } finally {
      await down.close();
    }
  });

  it('entra_auth.authorization.decisions: granted, and denied by reason (token_missing, insufficient_groups, insufficient_scope)', async () => {
    app = await startApp();
    const { emulator } = app;
    const decisions = (attributes: Record<string, string>) =>
      telemetry.value('entra_auth.authorization.decisions', attributes);
    expect(
      await status(app, 'administrators', emulator.mintAccessToken({ user: emulator.users.administrator })),
    ).to.equal(200);
    expect(await status(app, 'reports', emulator.mintAccessToken({ scopes: ['Reports.Read'] }))).to.equal(200);
    expect(await decisions({ outcome: 'granted' })).to.equal(2);
    expect(await status(app, 'administrators', emulator.mintAccessToken())).to.equal(403);
    expect(await decisions({ outcome: 'denied', reason: 'insufficient_groups' })).to.equal(1);
    expect(await status(app, 'reports', emulator.mintAccessToken())).to.equal(403);
    expect(await decisions({ outcome: 'denied', reason: 'insufficient_scope' })).to.equal(1);
    expect(await status(app, 'protected')).to.equal(401);
    expect(await decisions({ outcome: 'denied', reason: 'token_missing' })).to.equal(1);
    // A refused token never reaches the decision.
    expect(await status(app, 'administrators', expiredToken(app))).to.equal(401);
    expect(await decisions({ outcome: 'denied' })).to.equal(3);
  });

  it('entra_auth.jwks.fetches and the key-set gauges: startup, unknown kid, scheduled refresh, an outage (failure codes, retries, the stale period) and recovery', async () => {
    app = await startApp();
    const { emulator, clock } = app;
    const fetches = (attributes: Record<string, string>) => telemetry.value('entra_auth.jwks.fetches', attributes);
    const gauge = (name: string) => telemetry.value(`entra_auth.jwks.${name}`, { 'token.version': '2.0' });

    expect(await telemetry.value('entra_auth.jwks.keys')).to.equal(0); // no version asked for yet: no point
    expect(await status(app, 'protected', emulator.mintAccessToken())).to.equal(200);
    expect(await fetches({ outcome: 'ok', 'token.version': '2.0', trigger: 'startup' })).to.equal(1);
    expect(await gauge('keys'))
      .to.equal(app.container.resolve(JwksCache).getKeys('2.0').size)
      .and.greaterThan(0);
    expect([await gauge('age'), await gauge('stale')]).to.deep.equal([0, 0]);

    expect(await status(app, 'protected', emulator.mintAccessToken({ kid: 'not-published' }))).to.equal(401);
    expect(await fetches({ outcome: 'ok', trigger: 'unknown_kid' })).to.equal(1);

    let refreshed = next(app, 'keys_refreshed');
    clock.advanceSeconds(REFRESH * 1.05 + 1);
    await refreshed;
    expect(await fetches({ outcome: 'ok', trigger: 'refresh' })).to.equal(1);

    emulator.setFault('all', { kind: 'status', status: 500 });
    let failed = next(app, 'refresh_failed');
    clock.advanceSeconds(REFRESH * 1.05 + 1);
    await failed;
    expect(await fetches({ outcome: 'http_status', 'token.version': '2.0', trigger: 'refresh' })).to.equal(1);
    expect(await gauge('stale')).to.equal(1);
    expect(await gauge('keys')).to.be.greaterThan(0);
    const ageAtFailure = await gauge('age');
    expect(ageAtFailure).to.be.greaterThan(REFRESH * 0.95);

    emulator.setFault('all', { kind: 'down' });
    failed = next(app, 'refresh_failed');
    clock.advanceSeconds(30);
    await failed;
    expect(await fetches({ outcome: 'network_error', trigger: 'retry' })).to.equal(1);
    expect(await gauge('age')).to.equal(ageAtFailure + 30);
    expect(await gauge('stale')).to.equal(1);

    emulator.setFault('all', undefined);
    refreshed = next(app, 'keys_refreshed');
    clock.advanceSeconds(60);
    await refreshed;
    expect(await fetches({ outcome: 'ok', trigger: 'retry' })).to.equal(1);
    expect([await gauge('age'), await gauge('stale')]).to.deep.equal([0, 0]);

    expect(await status(app, 'protected', emulator.mintAccessToken({ version: '1.0' }))).to.equal(200);
    expect(await fetches({ outcome: 'ok', 'token.version': '1.0', trigger: 'startup' })).to.equal(1);
    expect(await telemetry.value('entra_auth.jwks.stale', { 'token.version': '1.0' })).to.equal(0);
  });

  it('entra_auth.token_cache.entries: the verified tokens held', async () => {
    app = await startApp();
    for (let i = 0; i < 3; i++) expect(await status(app, 'protected', app.emulator.mintAccessToken())).to.equal(200);
    expect(await telemetry.value('entra_auth.token_cache.entries')).to.equal(3);
  });

  it('entra_auth.graph.lookups, .lookup.duration and .app_tokens: a lookup, cache hits, Graph throttling, a refused app token', async () => {
    app = await startApp({ configure: useGraph });
    const { emulator, clock } = app;
    const overage = () => emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
    const lookups = (outcome: string) => telemetry.value('entra_auth.graph.lookups', { outcome });

    expect(await status(app, 'administrators', overage())).to.equal(200);
    expect([
      await lookups('ok'),
      await telemetry.value('entra_auth.graph.app_tokens', { outcome: 'ok' }),
    ]).to.deep.equal([1, 1]);
    expect(await status(app, 'administrators', overage())).to.equal(200);
    expect(await status(app, 'groups', overage())).to.equal(200);
    expect(await lookups('cache_hit')).to.equal(2);

    // The memberships expire; Graph throttles the next lookup.
    clock.advanceSeconds(601);
    emulator.setFault('graph', { kind: 'status', status: 429, retryAfterSeconds: 7 });
    expect(await status(app, 'administrators', overage())).to.equal(503);
    expect(await lookups('throttled')).to.equal(1);
    expect(
      await telemetry.value('entra_auth.authorization.decisions', { outcome: 'denied', reason: 'groups_unavailable' }),
    ).to.equal(1);
    // Blocked by the back-off: no call to Graph, so no lookup.
    expect(await status(app, 'administrators', overage())).to.equal(503);
    expect(await telemetry.value('entra_auth.graph.lookups')).to.equal(4);
    expect(await telemetry.value('entra_auth.graph.lookup.duration', { outcome: 'ok' })).to.equal(1);
    expect(await telemetry.value('entra_auth.graph.lookup.duration', { outcome: 'throttled' })).to.equal(1);

    // Another app whose credentials the token endpoint refuses.
    const refused = await startApp({ configure: useGraph });
    try {
      refused.emulator.setFault('token', { kind: 'status', status: 401 });
      const token = refused.emulator.mintAccessToken({ user: refused.emulator.users.overageAdministrator });
      expect(await status(refused, 'administrators', token)).to.equal(503);
      expect(await telemetry.value('entra_auth.graph.app_tokens', { outcome: 'status_401' })).to.equal(1);
      expect(await lookups('failed')).to.equal(1);
    } finally {
      await refused.close();
    }
  });

  it('spans: a key-set fetch, an app-token request and a Graph lookup are children of the active span, with the HTTP status and the failure code', async () => {
    app = await startApp({ configure: useGraph });
    const { emulator, clock } = app;
    const provider = app.container.resolve(EntraIdProvider);
    const tracer = trace.getTracer('test');
    const requestSpan = await tracer.startActiveSpan('GET /request', async (span) => {
      const user = provider.createUserFromToken(
        await provider.verifyToken(emulator.mintAccessToken({ user: emulator.users.overageAdministrator })),
      );
      await user.groups;
      span.end();
      return span.spanContext().spanId;
    });
    const spans = telemetry.spans();
    const named = (name: string) => spans.filter((span) => span.name === name);
    const [fetch] = named('entra_auth.jwks.fetch');
    const [lookup] = named('entra_auth.graph.lookup');
    const [appToken] = named('entra_auth.graph.app_token');
    expect(fetch!.parentSpanContext?.spanId).to.equal(requestSpan);
    expect(fetch!.attributes).to.deep.equal({
      'token.version': '2.0',
      trigger: 'startup',
      outcome: 'ok',
      'http.response.status_code': 200,
    });
    expect(lookup!.parentSpanContext?.spanId).to.equal(requestSpan);
    expect(lookup!.attributes).to.deep.equal({ outcome: 'ok', 'http.response.status_code': 200 });
    expect(appToken!.parentSpanContext?.spanId).to.equal(lookup!.spanContext().spanId);
    expect(appToken!.attributes).to.deep.equal({ outcome: 'ok', 'http.response.status_code': 200 });
    expect(named('entra_auth.token.validate'), 'no validation spans by default').to.deep.equal([]);

    // A scheduled refresh that fails: a trace of its own (its timer runs in whatever context is
    // active then, here a request's), marked failed with its code and status.
    emulator.setFault('all', { kind: 'status', status: 503 });
    const failed = next(app, 'refresh_failed');
    tracer.startActiveSpan('GET /later-request', (span) => {
      clock.advanceSeconds(REFRESH * 1.05 + 1);
      span.end();
    });
    await failed;
    const background = telemetry
      .spans()
      .filter((span) => span.name === 'entra_auth.jwks.fetch')
      .at(-1);
    expect(background!.parentSpanContext).to.equal(undefined);
    expect(background!.attributes).to.deep.equal({
      'token.version': '2.0',
      trigger: 'refresh',
      outcome: 'http_status',
      'http.response.status_code': 503,
      'error.type': 'http_status',
    });
    expect(background!.status).to.deep.equal({ code: 2, message: 'http_status' });
  });

  it('validation spans: one per validation with validationSpans on, its key-set fetch inside it', async () => {
    app = await startApp({ telemetry: { validationSpans: true } });
    const { emulator } = app;
    const token = emulator.mintAccessToken();
    expect(await status(app, 'protected', token)).to.equal(200);
    expect(await status(app, 'protected', token)).to.equal(200);
    expect(await status(app, 'protected', expiredToken(app))).to.equal(401);
    const validations = telemetry.spans().filter((span) => span.name === 'entra_auth.token.validate');
    expect(validations.map((span) => span.attributes)).to.deep.equal([
      { outcome: 'accepted', 'token.version': '2.0', cache: 'miss' },
      { outcome: 'accepted', 'token.version': '2.0', cache: 'hit' },
      { outcome: 'refused', reason: 'token_expired', 'token.version': '2.0', cache: 'miss' },
    ]);
    expect(validations.map((span) => span.status.code)).to.deep.equal([0, 0, 0]);
    const [fetch] = telemetry.spans().filter((span) => span.name === 'entra_auth.jwks.fetch');
    expect(fetch!.parentSpanContext?.spanId).to.equal(validations[0]!.spanContext().spanId);
  });
});

describe('Telemetry never fails a request', () => {
  it('an SDK whose instruments and tracer throw: every request is answered as without it, the failure is logged once', async () => {
    const noop = createNoopMeter();
    const broken = (): never => {
      throw new Error('exporter bug');
    };
    const meter: Meter = {
      ...noop,
      createHistogram: () => ({ record: broken }),
      createObservableCounter: noop.createObservableCounter.bind(noop),
      createObservableGauge: noop.createObservableGauge.bind(noop),
      addBatchObservableCallback: noop.addBatchObservableCallback.bind(noop),
    } as Meter;
    const meterProvider: MeterProvider = { getMeter: () => meter };
    expect(metrics.setGlobalMeterProvider(meterProvider)).to.equal(true);
    expect(
      trace.setGlobalTracerProvider({
        getTracer: () => ({ startSpan: broken, startActiveSpan: broken }) as never,
      }),
    ).to.equal(true);
    const entries: Array<[string, LogFields | undefined]> = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (message, fields) => entries.push([message, fields]),
      error() {},
    };
    const app = await startApp({ configure: (container) => container.register(Logger, { useValue: logger }) });
    try {
      for (let i = 0; i < 3; i++) {
        expect(await status(app, 'protected', app.emulator.mintAccessToken())).to.equal(200);
        expect(await status(app, 'protected', expiredToken(app))).to.equal(401);
      }
      const telemetryWarnings = entries.filter(([, fields]) => fields?.code === 'ENTRA_AUTH_TELEMETRY');
      expect(telemetryWarnings).to.have.length(1);
      expect(telemetryWarnings[0]![0]).to.contain('exporter bug');
    } finally {
      await app.close();
      metrics.disable();
      trace.disable();
    }
  });
});
