import { expect } from 'chai';
import { EntraEmulator } from '../../src/testing';
import { cleanEnvironment, failedStart, startDemo, stop } from '../support/demo-process';
import { get, postJson } from '../support/http';

/**
 * Runs one printed `curl -i [-X POST -H "Content-Type: application/json" -d '<json>'] [-H
 * "Authorization: Bearer …"] URL` line as curl would send it.
 */
async function runCurlLine(line: string): Promise<number> {
  const match =
    /^curl -i(?: -X POST -H "Content-Type: application\/json" -d '([^']*)')?(?: -H "([^"]+)")? (http:\/\/\S+)$/.exec(
      line,
    );
  expect(match, line).to.not.equal(null);
  const [, body, header, url] = match!;
  const headers: Record<string, string> = {};
  if (header) {
    const separator = header.indexOf(': ');
    headers[header.slice(0, separator)] = header.slice(separator + 2);
  }
  return (body === undefined ? await get(url!, headers) : await postJson(url!, body, headers)).status;
}

interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (label values here hold no escaped quotes). */
function prometheusSeries(text: string): Series[] {
  return text.split('\n').flatMap((line) => {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) return [];
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    return [{ name: sample[1]!, labels, value: Number(sample[3]) }];
  });
}

describe('Demo (npm run demo)', function () {
  this.timeout(30000);

  it('embedded mode: every printed curl line answers as its label says', async () => {
    const { child, output } = await startDemo(cleanEnvironment({}));
    try {
      expect(output).to.contain('(embedded mode)');
      const lines = output.split('\n');
      const cases = lines.flatMap((line, index) => {
        const label = /^# (.+) \(expect (\d{3})\)$/.exec(line);
        return label ? [{ label: label[1]!, expected: Number(label[2]), curl: lines[index + 1]! }] : [];
      });
      expect(cases.map((c) => `${c.label} ${c.expected}`)).to.deep.equal([
        'member → /user/profile 200',
        'member → /admin/users 403',
        'administrator → /admin/users 200',
        'administrator in 250 groups (overage, resolved through Graph) → /admin/users 200',
        'administrator without step-up → /admin/audit-log (claims challenge for authContext c1) 401',
        'administrator after step-up (acrs c1) → /admin/audit-log 200',
        'guest of the tenant → /user/profile (guests refused by default) 403',
        'app-only client → /tenant/info 200',
        'no token → /user/profile 401',
        'expired token → /user/profile 401',
        'protected resource metadata (RFC 9728) → /.well-known/oauth-protected-resource 200',
        'CAE-capable client (xms_cc cp1), member → /user/profile 200',
        "admin tool (app role Sessions.Revoke) revokes the member's sessions → POST /admin/revocations 200",
        'the same CAE-capable token after the revocation → /user/profile (claims challenge: insufficient_claims) 401',
        'another member token, minted before the revocation → /user/profile (invalid_token, session_revoked) 401',
      ]);
      for (const curlCase of cases) {
        expect(await runCurlLine(curlCase.curl), curlCase.label).to.equal(curlCase.expected);
      }
      const docs = /^Swagger UI: (http:\/\/\S+\/docs) \(document: (http:\/\/\S+\/openapi\.json)\)$/m.exec(output);
      expect(docs, 'the Swagger UI line').to.not.equal(null);
      expect((await get(`${docs![1]}/`)).status).to.equal(200);
      expect((await get(docs![2]!)).json.openapi).to.equal('3.1.0');
      const health = /curl -i (http:\/\/\S+\/health)/.exec(output)![1]!;
      const healthy = await get(health);
      expect([healthy.status, healthy.json.status, healthy.json.healthy]).to.deep.equal([200, 'ok', true]);
    } finally {
      await stop(child);
    }
  });

  it('embedded mode: after the printed curl lines, GET /metrics shows validations by outcome and reason, key-set fetches and key age, and Graph lookups', async () => {
    const { child, output } = await startDemo(cleanEnvironment({}));
    try {
      const lines = output.split('\n');
      const curlLines = lines.filter((line, index) => /^# .+ \(expect \d{3}\)$/.test(lines[index - 1] ?? ''));
      expect(curlLines).to.have.length(15);
      // The demo's other lines; the four revocation lines after them are counted below.
      for (const line of curlLines.slice(0, 11)) await runCurlLine(line);
      const metricsUrl = /^Metrics \(Prometheus text\): curl (http:\/\/\S+\/metrics)$/m.exec(output)![1]!;
      const scraped = await get(metricsUrl);
      expect(scraped.status).to.equal(200);
      expect(scraped.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      const series = prometheusSeries(scraped.text);
      const value = (name: string, labels: Record<string, string>): number | undefined =>
        series.find(
          (s) => s.name === name && Object.entries(labels).every(([label, wanted]) => s.labels[label] === wanted),
        )?.value;

      expect(
        value('entra_auth_token_validations_total', { outcome: 'accepted', token_version: '2.0', cache: 'miss' }),
      ).to.equal(8);
      expect(value('entra_auth_token_validations_total', { outcome: 'refused', reason: 'token_expired' })).to.equal(1);
      expect(value('entra_auth_token_validation_duration_count', { outcome: 'accepted' })).to.equal(8);
      expect(
        value('entra_auth_authorization_decisions_total', { outcome: 'denied', reason: 'insufficient_groups' }),
      ).to.equal(1);
      expect(
        value('entra_auth_authorization_decisions_total', { outcome: 'denied', reason: 'token_missing' }),
      ).to.equal(1);
      expect(
        value('entra_auth_authorization_decisions_total', { outcome: 'denied', reason: 'auth_context_required' }),
      ).to.equal(1);
      expect(
        value('entra_auth_authorization_decisions_total', { outcome: 'denied', reason: 'guest_not_allowed' }),
      ).to.equal(1);
      expect(value('entra_auth_authorization_decisions_total', { outcome: 'granted' })).to.equal(5);
      expect(
        value('entra_auth_jwks_fetches_total', { outcome: 'ok', token_version: '2.0', trigger: 'startup' }),
      ).to.equal(1);
      expect(value('entra_auth_jwks_keys', { token_version: '2.0' })).to.be.greaterThan(0);
      expect(value('entra_auth_jwks_age', { token_version: '2.0' })).to.be.at.least(0);
      expect(value('entra_auth_jwks_stale', { token_version: '2.0' })).to.equal(0);
      expect(value('entra_auth_graph_lookups_total', { outcome: 'ok' })).to.equal(1);
      expect(value('entra_auth_graph_lookup_duration_count', { outcome: 'ok' })).to.equal(1);
      expect(value('entra_auth_graph_app_tokens_total', { outcome: 'ok' })).to.equal(1);
      expect(value('entra_auth_token_cache_entries', {})).to.equal(8);
      // Open like /health, and never a token, tenant or user in a label.
      const labelValues = series.flatMap((s) => Object.values(s.labels)).join('\n');
      expect(labelValues).to.not.match(/[0-9a-f]{8}-[0-9a-f]{4}-|eyJ|@|:\/\//i);

      // The revocation lines: the member's two tokens refused as session_revoked (one cached, one new).
      for (const line of curlLines.slice(11)) await runCurlLine(line);
      const revoked = prometheusSeries((await get(metricsUrl)).text).filter(
        (s) =>
          s.name === 'entra_auth_token_validations_total' &&
          s.labels.outcome === 'refused' &&
          s.labels.reason === 'session_revoked',
      );
      expect(revoked.map((s) => [s.labels.cache, s.value]).sort()).to.deep.equal([
        ['hit', 1],
        ['miss', 1],
      ]);
    } finally {
      await stop(child);
    }
  });

  it('external mode: validates the configured authority, prints its configuration, and survives an outage', async () => {
    const emulator = await EntraEmulator.start();
    try {
      emulator.setFault('all', { kind: 'down' });
      const { child, output } = await startDemo(
        cleanEnvironment({
          AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID: emulator.tenants.primary.id,
          AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID: emulator.apiClientId,
          AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
          AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_NAMES_IN_TOKENS: 'true',
        }),
      );
      try {
        expect(output).to.contain('(external mode)');
        expect(output).to.contain(
          'GROUP_NAMES_IN_TOKENS=true: whoever can name a group "Administrators" in the tenant is an administrator here',
        );
        expect(output).to.match(new RegExp(`^ +tenantId: +${emulator.tenants.primary.id}$`, 'm'));
        expect(output).to.match(
          new RegExp(`^ +audiences: +${emulator.apiClientId}, api://${emulator.apiClientId}$`, 'm'),
        );
        expect(output).to.match(/^ +leeway: +300$/m);
        const base = /listening on (http:\/\/\S+) /.exec(output)![1]!;
        const token = emulator.mintAccessToken({ groups: ['Administrators'] });

        const during = await get(`${base}/user/profile`, { Authorization: `Bearer ${token}` });
        expect(during.status).to.equal(503);
        expect(Number(during.headers['retry-after'])).to.be.at.least(1);
        const sick = await get(`${base}/health`);
        expect([sick.status, sick.json.status]).to.deep.equal([503, 'unavailable']);
        expect(sick.json.keySets.find((k: { version: string }) => k.version === '2.0').lastError).to.equal(
          'network_error',
        );

        emulator.setFault('all', undefined);
        let after = during;
        for (let attempt = 0; attempt < 40 && after.status === 503; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          after = await get(`${base}/user/profile`, { Authorization: `Bearer ${token}` });
        }
        expect(after.status).to.equal(200);
        expect(after.json.tenantId).to.equal(emulator.tenants.primary.id);
        expect((await get(`${base}/health`)).status).to.equal(200);
        // A tenant that emits group names: the bare entry matches the claim.
        expect((await get(`${base}/admin/users`, { Authorization: `Bearer ${token}` })).status).to.equal(200);
      } finally {
        await stop(child);
      }
    } finally {
      await emulator.close();
    }
  });

  it('external mode with a client secret: resolves overage through Graph, and never prints the secret', async () => {
    const emulator = await EntraEmulator.start();
    const { child, output } = await startDemo(
      cleanEnvironment({
        AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID: emulator.tenants.primary.id,
        AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID: emulator.apiClientId,
        AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
        AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES: `Administrators=${emulator.groups.administrators}`,
        AUTH_PROVIDER_AZURE_ENTRA_ID_CLIENT_SECRET: emulator.clientSecret,
        AUTH_PROVIDER_AZURE_ENTRA_ID_GRAPH_URL: emulator.graphUrl,
      }),
    );
    try {
      expect(output).to.contain('Microsoft Graph at').and.not.contain(emulator.clientSecret);
      const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
      const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
      expect((await get(`${url}/admin/users`, { Authorization: `Bearer ${token}` })).status).to.equal(200);
      expect(emulator.requestCount('graph')).to.be.greaterThan(0);
    } finally {
      await stop(child);
      await emulator.close();
    }
  });

  it('refuses to start with a configuration error naming the setting', async () => {
    const { code, errors } = await failedStart(
      cleanEnvironment({ ENTRA_TENANT_ID: 'not a tenant', ENTRA_CLIENT_ID: 'x' }),
    );
    expect(code).to.equal(1);
    expect(errors).to.contain('AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID (or ENTRA_TENANT_ID)');
    expect(errors).to.not.match(/at .*\.js:\d+/);
  });

  it('external mode never trusts group names by itself: without GROUP_ALIASES or GROUP_NAMES_IN_TOKENS it refuses to start, naming both', async () => {
    const { code, errors } = await failedStart(
      cleanEnvironment({
        ENTRA_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
        AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: 'http://127.0.0.1:9/{}/v2.0/.well-known/openid-configuration',
      }),
    );
    expect(code).to.equal(1);
    expect(errors).to.contain('GET /admin/users');
    expect(errors).to.contain('AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES');
    expect(errors).to.contain('AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_NAMES_IN_TOKENS');
  });
});
