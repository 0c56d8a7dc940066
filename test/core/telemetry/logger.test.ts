import { Writable } from 'node:stream';
import { expect } from 'chai';
import pino from 'pino';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { Lifecycle, type DependencyContainer } from 'tsyringe';
import { GraphGroupsProvider, GroupsProvider, JwksCache, Logger, type LogFields } from '../../../src';
import { withApp, type TestApp, type TestAppOptions } from '../../support/app';
import { bearer, get } from '../../support/http';

@JsonController('/logged')
class LoggedController {
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
}

type Level = 'debug' | 'info' | 'warn' | 'error';
interface Entry {
  readonly level: Level;
  readonly message: string;
  readonly fields: LogFields;
}

/** A Logger that keeps what it is told. */
class RecordingLogger implements Logger {
  readonly entries: Entry[] = [];
  debug = (message: string, fields: LogFields = {}) => this.entries.push({ level: 'debug', message, fields });
  info = (message: string, fields: LogFields = {}) => this.entries.push({ level: 'info', message, fields });
  warn = (message: string, fields: LogFields = {}) => this.entries.push({ level: 'warn', message, fields });
  error = (message: string, fields: LogFields = {}) => this.entries.push({ level: 'error', message, fields });

  with(fields: LogFields): Entry[] {
    return this.entries.filter((entry) => Object.entries(fields).every(([key, value]) => entry.fields[key] === value));
  }
}

function startApp(logger: Logger | undefined, options: Partial<TestAppOptions> = {}): Promise<TestApp> {
  return withApp({
    controllers: [LoggedController],
    ...options,
    settings: (emulator) => ({
      groupAliases: { Administrators: emulator.groups.administrators },
      clientSecret: emulator.clientSecret,
      graphUrl: emulator.graphUrl,
      ...(typeof options.settings === 'object' ? options.settings : {}),
    }),
    configure: (container: DependencyContainer) => {
      if (logger) container.register(Logger, { useValue: logger });
      options.configure?.(container);
    },
  });
}

function status(app: TestApp, path: string, token?: string): Promise<number> {
  return get(`${app.url}/logged/${path}`, token ? bearer(token) : {}).then((response) => response.status);
}

function nextEvent(app: TestApp, event: 'keys_refreshed' | 'refresh_failed'): Promise<void> {
  const cache = app.container.resolve(JwksCache);
  return new Promise((resolve) => {
    const listener = (): void => {
      cache.off(event, listener);
      resolve();
    };
    cache.on(event, listener);
  });
}

describe('Logger: what operators are told, through the injectable Logger', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('receives key refreshes, fetch failures, stale keys, unavailable keys and unknown kids: versions, reason codes and counts', async () => {
    const logger = new RecordingLogger();
    app = await startApp(logger);
    const { emulator, clock } = app;
    expect(await status(app, 'protected', emulator.mintAccessToken())).to.equal(200);
    expect(logger.with({ event: 'keys_refreshed' })).to.deep.equal([
      {
        level: 'info',
        message: 'signing keys fetched and in force',
        fields: { event: 'keys_refreshed', version: '2.0', keyCount: 1, kidsAdded: 1, kidsRemoved: 0 },
      },
    ]);
    expect(await status(app, 'protected', emulator.mintAccessToken({ kid: 'not-published' }))).to.equal(401);
    expect(logger.with({ event: 'unknown_kid' }).map((entry) => [entry.level, entry.fields])).to.deep.equal([
      ['info', { event: 'unknown_kid', version: '2.0', kid: 'not-published', requests: 1, refetched: true }],
    ]);

    emulator.setFault('all', { kind: 'status', status: 500 });
    const failed = nextEvent(app, 'refresh_failed');
    clock.advanceSeconds(43200 * 1.05 + 1);
    await failed;
    expect(logger.with({ event: 'refresh_failed' }).map((entry) => [entry.level, entry.fields])).to.deep.equal([
      [
        'warn',
        { event: 'refresh_failed', version: '2.0', reason: 'http_status', consecutiveFailures: 1, retryInSeconds: 30 },
      ],
    ]);
    const [stale] = logger.with({ event: 'serving_stale_keys' });
    expect([stale!.level, stale!.fields.version, stale!.fields.expiresInSeconds]).to.deep.equal([
      'warn',
      '2.0',
      86400 - (stale!.fields.ageSeconds as number),
    ]);

    // A v1 token while the authority is down: nothing held for v1, so no keys at all.
    expect(await status(app, 'protected', emulator.mintAccessToken({ version: '1.0' }))).to.equal(503);
    expect(logger.with({ event: 'keys_unavailable' }).map((entry) => [entry.level, entry.fields])).to.deep.equal([
      ['error', { event: 'keys_unavailable', version: '1.0', reason: 'http_status', retryInSeconds: 1 }],
    ]);
    expect(JSON.stringify(logger.entries)).to.not.contain('http://');
  });

  it('at debug, each refused token with its reason code, kid, ver, tid and aud; never the token, its signature, a name or an email', async () => {
    const logger = new RecordingLogger();
    app = await startApp(logger);
    const { emulator } = app;
    const user = emulator.users.member;
    const kid = emulator.publishedKids()[0];
    const refusals = () => logger.entries.filter((entry) => entry.message === 'access token refused');

    const wrongAudience = emulator.mintAccessToken({ audience: 'api://another-api' });
    expect(await status(app, 'protected', wrongAudience)).to.equal(401);
    expect(refusals().map((entry) => [entry.level, entry.fields])).to.deep.equal([
      [
        'debug',
        {
          reason: 'audience_invalid',
          kid,
          ver: '2.0',
          tid: emulator.tenants.primary.id,
          aud: 'api://another-api',
        },
      ],
    ]);
    // An email where the audience should be is left out, as is a tid that is no GUID.
    const hostile = emulator.mintAccessToken({ audience: user.email, tenantId: 'Megan Member <megan@contoso.com>' });
    expect(await status(app, 'protected', hostile)).to.equal(401);
    expect(refusals()[1]!.fields).to.deep.equal({ reason: 'tenant_invalid', kid, ver: '2.0' });
    // Refused before the token could be read: the reason alone.
    expect(await status(app, 'protected', 'not-a-token')).to.equal(401);
    expect(refusals()[2]!.fields).to.deep.equal({ reason: 'token_malformed' });
    // Accepted tokens are not logged.
    expect(await status(app, 'protected', emulator.mintAccessToken())).to.equal(200);
    expect(refusals()).to.have.length(3);

    const logged = JSON.stringify(logger.entries);
    for (const token of [wrongAudience, hostile]) {
      for (const segment of token.split('.')) expect(logged).to.not.contain(segment);
    }
    for (const personal of [user.name, user.email, 'megan@contoso.com', 'Megan Member']) {
      expect(logged).to.not.contain(personal);
    }
  });

  it('Graph throttling and failures reach the logger; a refusal an operator must fix is a coded warning, once per tenant and code', async () => {
    const logger = new RecordingLogger();
    const useGraph = (container: DependencyContainer) =>
      container.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
    app = await startApp(logger, { configure: useGraph });
    const { emulator, clock } = app;
    const tenantId = emulator.tenants.primary.id;
    const overage = () => emulator.mintAccessToken({ user: emulator.users.overageAdministrator });

    emulator.setFault('graph', { kind: 'status', status: 429, retryAfterSeconds: 7 });
    expect(await status(app, 'administrators', overage())).to.equal(503);
    expect(
      logger.with({ reason: 'throttled' }).map((entry) => [entry.level, entry.message, entry.fields]),
    ).to.deep.equal([
      [
        'warn',
        'Microsoft Graph throttled a group lookup; the tenant waits',
        { reason: 'throttled', tenantId, tenantWide: true, retryInSeconds: 7 },
      ],
    ]);

    emulator.setFault('graph', { kind: 'status', status: 403 });
    for (let i = 0; i < 2; i++) {
      clock.advanceSeconds(60);
      expect(await status(app, 'administrators', overage())).to.equal(503);
    }
    expect(logger.with({ reason: 'status_403' }).filter((entry) => entry.fields.code === undefined)).to.have.length(2);
    expect(logger.with({ code: 'ENTRA_AUTH_GRAPH_REFUSED' }).map((entry) => entry.fields)).to.deep.equal([
      { code: 'ENTRA_AUTH_GRAPH_REFUSED', reason: 'status_403', tenantId },
    ]);
    expect(JSON.stringify(logger.entries)).to.not.contain(emulator.users.overageAdministrator.oid);
  });

  it('AUTH_MIDDLEWARE_DISABLED=true is a coded configuration warning through the Logger', async () => {
    const logger = new RecordingLogger();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      app = await startApp(logger, { settings: { middlewareDisabled: true } });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(logger.with({ code: 'ENTRA_AUTH_DISABLED' }).map((entry) => entry.level)).to.deep.equal(['warn']);
    expect(warnings, 'a plugged-in logger replaces the process warning').to.deep.equal([]);
  });

  it('the default logger keeps the old output: coded entries are process warnings, key-cache events and refusals are not', async () => {
    const warnings: Array<string | undefined> = [];
    const onWarning = (warning: Error & { code?: string }): void => {
      warnings.push(warning.code);
    };
    process.on('warning', onWarning);
    try {
      app = await startApp(undefined);
      const { emulator, clock } = app;
      expect(await status(app, 'protected', emulator.mintAccessToken({ audience: 'api://another-api' }))).to.equal(401);
      emulator.setFault('all', { kind: 'down' });
      const failed = nextEvent(app, 'refresh_failed');
      clock.advanceSeconds(43200 * 1.05 + 1);
      await failed;
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).to.deep.equal([]);

      app.container.resolve(JwksCache).on('refresh_failed', () => {
        throw new Error('listener bug');
      });
      const again = nextEvent(app, 'refresh_failed');
      clock.advanceSeconds(30);
      await again;
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).to.deep.equal(['ENTRA_AUTH_LISTENER']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('pino, plugged in as the README shows: one JSON line per entry, message and fields', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // README.md, "Observability": the adapter, as written there.
    const log = pino({ level: 'debug' }, destination);
    const entraAuthLog: Logger = {
      debug: (message, fields) => log.debug(fields ?? {}, message),
      info: (message, fields) => log.info(fields ?? {}, message),
      warn: (message, fields) => log.warn(fields ?? {}, message),
      error: (message, fields) => log.error(fields ?? {}, message),
    };
    app = await startApp(entraAuthLog);
    expect(await status(app, 'protected', app.emulator.mintAccessToken())).to.equal(200);
    expect(await status(app, 'protected', app.emulator.mintAccessToken({ audience: 'api://another-api' }))).to.equal(
      401,
    );
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map(({ level, msg, event, reason }) => ({ level, msg, event, reason }))).to.deep.equal([
      { level: 30, msg: 'signing keys fetched and in force', event: 'keys_refreshed', reason: undefined },
      { level: 20, msg: 'access token refused', event: undefined, reason: 'audience_invalid' },
    ]);
    expect(entries[0]).to.include({ version: '2.0', keyCount: 1 });
  });
});
