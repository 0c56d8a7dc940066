import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { Logger, TemporarilyUnavailableException, type LogFields } from '../../../src';
import { withApp } from '../../support/app';
import { expectRejection, startHarness, type Harness } from '../../support/harness';
import { get, bearer } from '../../support/http';

/** A well-formed tenant Entra does not know: a typo of a GUID, or of a domain. */
const UNKNOWN_TENANT_GUID = '72f988bf-86f1-41af-91ab-2d7cd011db48';
const UNKNOWN_TENANT_DOMAIN = 'contoso.onmicrosoft.cm';

type CodedWarning = Error & { code?: string };

/** The process warnings emitted while `run` runs (and the tick after it). */
async function warningsDuring(run: () => Promise<void>): Promise<CodedWarning[]> {
  const warnings: CodedWarning[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on('warning', onWarning);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

@JsonController('/tenant-typo')
class ProfileController {
  @Authorized()
  @Get('/profile')
  profile() {
    return { ok: true };
  }
}

describe('JwksCache: a tenant the authority does not know (AADSTS90002) is a configuration error, said once', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  for (const tenantId of [UNKNOWN_TENANT_GUID, UNKNOWN_TENANT_DOMAIN]) {
    it(`${tenantId}: every token gets 503 keys_unavailable (never a 500), and one process warning names TENANT_ID`, async () => {
      harness = await startHarness({ tenantId });
      const { emulator, provider, clock } = harness;
      const warnings = await warningsDuring(async () => {
        for (let attempt = 0; attempt < 3; attempt++) {
          const refusal = await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
          expect(refusal).to.be.instanceOf(TemporarilyUnavailableException);
          // Past the back-off, so that each attempt asks the authority again.
          clock.advance(31_000);
        }
      });
      expect(emulator.requestCount('discovery')).to.be.at.least(3);
      const reported = warnings.filter((warning) => warning.code === 'ENTRA_AUTH_TENANT_NOT_FOUND');
      expect(reported, 'one warning, however often the authority says so').to.have.length(1);
      expect(reported[0]!.message).to.contain(`"${tenantId}"`);
      expect(reported[0]!.message).to.contain('AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID (or ENTRA_TENANT_ID)');
      expect(reported[0]!.message).to.contain('AADSTS90002');
    });
  }

  it('health() says tenant_not_found (not a mere outage), and unhealthy', async () => {
    harness = await startHarness({ tenantId: UNKNOWN_TENANT_GUID });
    const { emulator, provider, cache } = harness;
    await warningsDuring(async () => {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
    });
    const health = cache.health();
    expect(health.healthy).to.equal(false);
    expect(health.tenant).to.equal(UNKNOWN_TENANT_GUID);
    const v2 = health.keySets.find((keySet) => keySet.version === '2.0')!;
    expect(v2.state).to.equal('tenant_not_found');
    expect(v2.lastError).to.equal('tenant_not_found');
  });

  it('another 400 is an outage like any other status: http_status, unavailable, and no tenant warning', async () => {
    harness = await startHarness();
    const { emulator, provider, cache } = harness;
    emulator.setFault('discovery', { kind: 'status', status: 400 });
    const warnings = await warningsDuring(async () => {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken()), 'keys_unavailable');
    });
    expect(warnings.filter((warning) => warning.code === 'ENTRA_AUTH_TENANT_NOT_FOUND')).to.deep.equal([]);
    const v2 = cache.health().keySets.find((keySet) => keySet.version === '2.0')!;
    expect(v2.state).to.equal('unavailable');
    expect(v2.lastError).to.equal('http_status');
  });

  it('through a plugged-in Logger: one error entry with the warning code and the tenant, instead of a process warning', async () => {
    const entries: Array<{ level: string; message: string; fields: LogFields | undefined }> = [];
    const record =
      (level: string) =>
      (message: string, fields?: LogFields): void => {
        entries.push({ level, message, fields });
      };
    const logger: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const app = await withApp({
      controllers: [ProfileController],
      settings: { tenantId: UNKNOWN_TENANT_DOMAIN },
      configure: (container) => container.register(Logger, { useValue: logger }),
    });
    try {
      const warnings = await warningsDuring(async () => {
        for (let attempt = 0; attempt < 2; attempt++) {
          const answer = await get(`${app.url}/tenant-typo/profile`, bearer(app.emulator.mintAccessToken()));
          expect(answer.status).to.equal(503);
          app.clock.advance(31_000);
        }
      });
      expect(warnings.filter((warning) => warning.code === 'ENTRA_AUTH_TENANT_NOT_FOUND')).to.deep.equal([]);
      const reported = entries.filter((entry) => entry.fields?.['code'] === 'ENTRA_AUTH_TENANT_NOT_FOUND');
      expect(reported).to.have.length(1);
      expect(reported[0]!.level).to.equal('error');
      expect(reported[0]!.fields).to.deep.equal({
        code: 'ENTRA_AUTH_TENANT_NOT_FOUND',
        tenantId: UNKNOWN_TENANT_DOMAIN,
      });
      expect(reported[0]!.message).to.contain('AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID (or ENTRA_TENANT_ID)');
    } finally {
      await app.close();
    }
  });

  it('over HTTP: 503 temporarily_unavailable with Retry-After, the app keeps running', async () => {
    const app = await withApp({ controllers: [ProfileController], settings: { tenantId: UNKNOWN_TENANT_GUID } });
    try {
      const warnings = await warningsDuring(async () => {
        const answer = await get(`${app.url}/tenant-typo/profile`, bearer(app.emulator.mintAccessToken()));
        expect(answer.status).to.equal(503);
        expect(answer.json.error).to.equal('temporarily_unavailable');
        expect(answer.json.reason).to.equal('keys_unavailable');
        expect(Number(answer.headers['retry-after'])).to.be.at.least(1);
      });
      expect(warnings.map((warning) => warning.code)).to.include('ENTRA_AUTH_TENANT_NOT_FOUND');
    } finally {
      await app.close();
    }
  });
});
