import { freePort } from '../support/free-port';
import { expect } from 'chai';
import { EntraEmulator, ManualClock, getTestKeyPair } from '../../src/testing';
import { MISMATCHED_API, SAMPLE_API, emulatorEnv, graphEnv, runCli, type CliRun } from './support/cli-process';

interface Finding {
  readonly check: string;
  readonly status: 'ok' | 'info' | 'warning' | 'error';
  readonly message: string;
  readonly fix?: string;
}

describe('CLI: entra-auth doctor checks the configuration against the live authority, Graph and the app registration', function () {
  this.timeout(60_000);
  let emulator: EntraEmulator;

  before(async () => {
    // The system clock, as the spawned CLI's: the authority's Date header agrees with this machine.
    emulator = await EntraEmulator.start();
  });
  after(() => emulator.close());

  async function doctor(env: Record<string, string>, args: readonly string[] = []): Promise<CliRun> {
    const run = await runCli(['doctor', ...args], env);
    expect(run.output, 'a secret is printed').to.not.include(emulator.clientSecret);
    return run;
  }

  async function findings(
    env: Record<string, string>,
    args: readonly string[] = [],
  ): Promise<{ code: number | null; findings: Finding[] }> {
    const run = await doctor(env, ['--json', ...args]);
    const report = JSON.parse(run.stdout);
    expect(report.exitCode).to.equal(run.code);
    return { code: run.code, findings: report.findings };
  }

  const errors = (list: readonly Finding[]) => list.filter((finding) => finding.status === 'error');

  it('everything usable: tenant, discovery and keys of both versions, clock, Graph, registration and routes; exit 0', async () => {
    const run = await doctor({ ...emulatorEnv(emulator), ...graphEnv(emulator) }, ['--app', SAMPLE_API]);
    expect(run.code, run.stdout).to.equal(0);
    expect(run.stdout).to.match(/^entra-auth doctor\n/);
    expect(run.stdout).to.include(`The authority knows tenant ${emulator.tenants.primary.id}.`);
    expect(run.stdout).to.match(/ok +discovery v2\.0 +http.* answered in \d+ ms \(limit 5000 ms\)/);
    expect(run.stdout).to.match(/ok +keys v1\.0 +1 usable signing key: /);
    expect(run.stdout).to.match(/ok +clock +Within \d+ s of the authority's/);
    expect(run.stdout).to.include('Graph answers and lets the API read groups');
    expect(run.stdout).to.include('The registration issues v2 tokens (accessTokenAcceptedVersion 2)');
    expect(run.stdout).to.match(
      /ok +routes +5 @Authorized and guard entries can all be granted by this registration\./,
    );
    expect(run.stdout).to.include('Usable');
    const report = await findings({ ...emulatorEnv(emulator), ...graphEnv(emulator) }, ['--app', SAMPLE_API]);
    expect(report.code).to.equal(0);
    expect(errors(report.findings)).to.deep.equal([]);
  });

  it('a tenant the authority does not know: "Tenant not found: check TENANT_ID"; exit 2', async () => {
    for (const tenant of ['0b6d1c2a-9f3e-4c5d-8e7f-1a2b3c4d5e6f', 'nowhere.example']) {
      const run = await doctor(emulatorEnv(emulator, { ENTRA_TENANT_ID: tenant }));
      expect(run.code).to.equal(2);
      expect(run.stdout).to.match(
        new RegExp(
          `ERROR {2}tenant +Tenant not found: the authority .* does not know tenant "${tenant}" \\(AADSTS90002\\)`,
        ),
      );
      expect(run.stdout).to.include('fix: Check TENANT_ID (AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID or ENTRA_TENANT_ID)');
    }
  });

  it('an unreachable authority (nothing listening, or no answer within HTTP_TIMEOUT_MS): named with its fix; exit 3', async () => {
    const port = await freePort();
    const refused = await doctor(
      emulatorEnv(emulator, {
        AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: `http://127.0.0.1:${port}/{}/v2.0/.well-known/openid-configuration`,
      }),
    );
    expect(refused.code).to.equal(3);
    expect(refused.stdout).to.include(
      `ERROR  discovery v2.0  No connection to the authority http://127.0.0.1:${port}.`,
    );
    expect(refused.stdout).to.include('Node ignores HTTPS_PROXY');

    emulator.setFault('discovery', { kind: 'slow', delayMs: 2000 });
    try {
      const slow = await doctor(emulatorEnv(emulator, { AUTH_PROVIDER_AZURE_ENTRA_ID_HTTP_TIMEOUT_MS: '300' }));
      expect(slow.code).to.equal(3);
      expect(slow.stdout).to.include(
        `The authority ${emulator.baseUrl} did not answer within AUTH_PROVIDER_AZURE_ENTRA_ID_HTTP_TIMEOUT_MS=300 ms.`,
      );
    } finally {
      emulator.setFault('discovery', undefined);
    }
  });

  it('a missing Graph permission, a missing admin consent and a wrong secret: each named with its fix; exit 1', async () => {
    const tenant = emulator.tenants.primary.id;
    const env = { ...emulatorEnv(emulator), ...graphEnv(emulator) };
    emulator.setGraphPermissions(tenant, ['Application.Read.All']);
    try {
      const run = await doctor(env);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include(
        `Graph refuses to read groups in tenant ${tenant} (403 Authorization_RequestDenied): the API lacks the application permission GroupMember.Read.All, or its admin consent.`,
      );
      expect(run.stdout).to.include(
        'Microsoft Graph → Application permissions → GroupMember.Read.All, then Grant admin consent',
      );
    } finally {
      emulator.setGraphPermissions(tenant, ['GroupMember.Read.All', 'Application.Read.All']);
    }

    emulator.setAdminConsent(tenant, false);
    try {
      const run = await findings(env);
      expect(run.code).to.equal(1);
      expect(errors(run.findings)).to.deep.include({
        check: 'graph token',
        status: 'error',
        message: `Application ${emulator.apiClientId} has no admin consent in tenant ${tenant} (AADSTS65001).`,
        fix: `An administrator of ${tenant} grants consent: app registration → API permissions → Microsoft Graph GroupMember.Read.All (Application) → Grant admin consent.`,
        exitCode: 1,
      });
    } finally {
      emulator.setAdminConsent(tenant, true);
    }

    const wrongSecret = await doctor({ ...env, AUTH_PROVIDER_AZURE_ENTRA_ID_CLIENT_SECRET: 'not-the-secret' });
    expect(wrongSecret.code).to.equal(1);
    expect(wrongSecret.stdout).to.include('refused the client secret of application');
    expect(wrongSecret.stdout).to.include('AADSTS7000215');
    expect(wrongSecret.output).to.not.include('not-the-secret');
  });

  it('without Application.Read.All the registration is not compared: a warning, still usable', async () => {
    const tenant = emulator.tenants.primary.id;
    emulator.setGraphPermissions(tenant, ['GroupMember.Read.All']);
    try {
      const run = await findings({ ...emulatorEnv(emulator), ...graphEnv(emulator) });
      expect(run.code).to.equal(0);
      expect(run.findings.find((finding) => finding.check === 'registration')).to.include({
        status: 'warning',
        message:
          "Graph refuses to read the API's registration (403): the API lacks the application permission Application.Read.All. It is not compared with the configuration and the routes.",
      });
    } finally {
      emulator.setGraphPermissions(tenant, ['GroupMember.Read.All', 'Application.Read.All']);
    }
  });

  it('routes asking for a scope or an app role the registration does not define: each entry named with its route; exit 1', async () => {
    const run = await doctor({ ...emulatorEnv(emulator), ...graphEnv(emulator) }, ['--app', MISMATCHED_API]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.include(
      'GET /files/ (FilesController.list) requires scope:Files.Read, which the registration does not expose (scopes: access_as_user): no token can carry it.',
    );
    expect(run.stdout).to.include(
      'GET /files/admin (FilesController.admin) requires role:Files.Admin, which the registration does not define (app roles: Tenant.Read.All): no token can carry it.',
    );
    expect(run.stdout).to.include('fix: Expose the scope Files.Read');
  });

  it('a registration that disagrees with the settings: v1 tokens for an App ID URI not accepted, no groups in tokens, a foreign audience', async () => {
    emulator.patchApplication({
      api: {
        requestedAccessTokenVersion: null,
        oauth2PermissionScopes: [{ value: 'access_as_user', isEnabled: true }],
      },
      identifierUris: ['https://api.contoso.example'],
      groupMembershipClaims: null,
    });
    try {
      const env = { ...emulatorEnv(emulator), ...graphEnv(emulator), ENTRA_AUDIENCE: 'api://another-api' };
      const run = await findings(env, ['--app', SAMPLE_API]);
      expect(run.code).to.equal(1);
      const messages = errors(run.findings).map((finding) => finding.message);
      expect(messages).to.include(
        'The registration issues v1 tokens, whose aud is the App ID URI the client requested; AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID does not accept https://api.contoso.example.',
      );
      expect(messages).to.include(
        'GET /admin/users (AdminController.users) requires group:Administrators, but the registration puts no groups in tokens (groupMembershipClaims null): the groups provider never holds it.',
      );
      expect(run.findings.find((finding) => finding.check === 'identifier URIs')).to.deep.include({
        status: 'warning',
        message:
          'AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID accepts api://another-api, which the registration does not define (identifierUris: https://api.contoso.example): no token for this API carries it.',
      });
    } finally {
      emulator.patchApplication(undefined);
    }
  });

  it('what the authority and Graph serve reaches the terminal escaped: issuer, kids, identifier URIs, scope values, groupMembershipClaims; --json too', async () => {
    const hostile = '\u001b[2J\u001b]52;c;aGk=\u0007\u009b31m\u202e\u2028\ufeff\u00ad';
    const escaped = '\\u001b[2J\\u001b]52;c;aGk=\\u0007\\u009b31m\\u202e\\u2028\\ufeff\\u00ad';
    const spare = await getTestKeyPair(9);
    emulator.publishRawKey({ ...spare.publicKey.export({ format: 'jwk' }), kid: `kid${hostile}`, use: 'sig' });
    emulator.patchDiscovery('2.0', { issuer: `${emulator.issuer('2.0')}${hostile}` });
    emulator.patchApplication({
      api: {
        requestedAccessTokenVersion: null,
        oauth2PermissionScopes: [{ value: `scope${hostile}`, isEnabled: true }],
      },
      identifierUris: [`api://uri${hostile}`],
      // Blank around None (U+2028 and U+FEFF are JavaScript white space): no groups, so it is printed.
      groupMembershipClaims: '\u2028None\ufeff',
    });
    try {
      const env = { ...emulatorEnv(emulator), ...graphEnv(emulator) };
      const run = await doctor(env, ['--app', SAMPLE_API]);
      expect(run.output.replace(/\n/g, '')).to.not.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect(run.stdout).to.match(/keys v2\.0 +2 usable signing keys: /);
      for (const served of [
        `${emulator.issuer('2.0')}${escaped}: names the tenant's GUID`,
        `kid${escaped}`,
        `api://uri${escaped}`,
        `scopes: scope${escaped}`,
        '(groupMembershipClaims \\u2028None\\ufeff)',
      ]) {
        expect(run.stdout).to.include(served);
      }
      const json = await doctor(env, ['--json', '--app', SAMPLE_API]);
      expect(json.output.replace(/\n/g, '')).to.not.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
      expect(JSON.parse(json.stdout).findings.length).to.be.above(5);
    } finally {
      emulator.patchApplication(undefined);
      emulator.patchDiscovery('2.0', undefined);
      emulator.clearRawKeys();
    }
  });

  it("this machine's clock against the authority's Date header: past LEEWAY an error, exit 1", async () => {
    // An authority whose clock is ten minutes ahead of this machine's.
    const ahead = await EntraEmulator.start({ clock: new ManualClock(Date.now() + 600_000) });
    try {
      const run = await doctor(emulatorEnv(ahead));
      expect(run.code).to.equal(1);
      const skew = /ERROR {2}clock +This machine's clock is (\d+) s behind the authority's \(Date header\)\./.exec(
        run.stdout,
      );
      expect(Number(skew?.[1])).to.be.within(301, 600);
      expect(run.stdout).to.include('fresh tokens are refused as not yet valid');
    } finally {
      await ahead.close();
    }
  });

  it('an @Authorized entry that would fail the app start: a configuration error, exit 2', async () => {
    const run = await doctor(emulatorEnv(emulator, { AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES: '' }), [
      '--app',
      SAMPLE_API,
    ]);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.include(
      'The app would not start: @Authorized on GET /admin/users (AdminController.users): group "Administrators"',
    );
  });
});
