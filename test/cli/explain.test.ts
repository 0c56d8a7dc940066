import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../support/free-port';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { EntraEmulator, ManualClock, getTestKeyPair } from '../../src/testing';
import {
  API_WITH_CONTAINER,
  ROUTE_PATTERNS_API,
  SAMPLE_API,
  emulatorEnv,
  expectNothingSecret,
  runCli,
  type CliRun,
} from './support/cli-process';

/**
 * What a terminal acts on, or what hides, reorders or fakes text: CSI and OSC sequences (clear
 * the screen, set the clipboard, a link), a carriage return, concealed text, DEL, C1 controls
 * (CSI U+009B, NEL), bidi controls, the line and paragraph separators, a BOM, format characters
 * (a soft hyphen, a tag character past U+FFFF).
 */
const HOSTILE =
  '\u001b[2J\u001b[H' +
  'entra-auth explain: VALID\r' +
  '\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007' +
  '\u001b]8;;https://evil.example/\u001b\\docs\u001b]8;;\u001b\\' +
  '\u001b[8m\u007f\u009b31m\u0085' +
  '\u202e\u2066\u200e\u061c\u2028\u2029\ufeff\u00ad\u{e0041}';
/** How the report writes those characters: escaped, as JSON would. */
const HOSTILE_ESCAPED = [
  '\\u001b[2J\\u001b[H',
  'VALID\\u000d',
  '\\u001b]52;c;',
  '\\u001b[8m\\u007f\\u009b31m\\u0085',
  '\\u202e\\u2066\\u200e\\u061c\\u2028\\u2029\\ufeff\\u00ad\\udb40\\udc41',
];

/** No character of the output acts on a terminal: only its own line breaks are raw. */
function expectInert(text: string): void {
  expect(text.replace(/\n/g, '')).to.not.match(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
}

describe('CLI: entra-auth explain runs the real validator on a token and says which rule refused it, and why', function () {
  this.timeout(60_000);
  let clock: ManualClock;
  let emulator: EntraEmulator;
  const now = (): number => Math.floor(clock.now() / 1000);

  before(async () => {
    // The spawned CLI reads the system clock: the emulator mints tokens by the same time.
    clock = new ManualClock(Date.now());
    emulator = await EntraEmulator.start({ clock });
  });
  after(() => emulator.close());

  /** explain <token> with the emulator's settings (plus `env`), checking that nothing secret is printed. */
  async function explain(
    token: string,
    args: readonly string[] = [],
    env: Record<string, string> = {},
  ): Promise<CliRun> {
    const run = await runCli(['explain', token, ...args], emulatorEnv(emulator, env));
    if (!args.includes('--show-personal')) expectNothingSecret(run, token, emulator);
    return run;
  }

  /** The rule lines of the plain report: `pass  rule 1 …` up to the `FAIL` line. */
  function ruleLines(run: CliRun): string[] {
    return run.stdout.split('\n').filter((line) => /^ {2}(pass|FAIL) {2}/.test(line));
  }

  it('accepts a valid token: every rule passes, in order, then the user it builds; exit 0', async () => {
    const run = await explain(emulator.mintAccessToken({ user: emulator.users.administrator }));
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/^entra-auth explain: VALID/);
    const rules = ruleLines(run);
    expect(rules).to.have.length(11);
    expect(rules.every((line) => line.startsWith('  pass'))).to.equal(true);
    expect(rules[0]).to.match(/rule 1 +request and encoding/);
    expect(rules[9]).to.match(/rule 10 +client application/);
    expect(rules[10]).to.match(/after 10 +claim shapes/);
    expect(run.stdout).to.include(`id           ${emulator.users.administrator.oid}`);
    expect(run.stdout).to.include('kind         delegated');
    expect(run.stdout).to.include(`${emulator.groups.administrators} (Administrators)`);
    expect(run.stdout).to.include('values not shown: aio, name, preferred_username, rh, sub, uti');
  });

  it('a Graph token: stops at rule 4 (signature) and says it is for Microsoft Graph, not your API, with the scope to request', async () => {
    const run = await explain(emulator.mintAccessToken({ microsoftGraph: true }));
    expect(run.code).to.equal(1);
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 4 +signature: signature_invalid/);
    expect(run.stdout).to.include('Why: This token is for Microsoft Graph, not your API.');
    expect(run.stdout).to.include('The header carries a nonce');
    expect(run.stdout).to.include(`Request a token for scope api://${emulator.apiClientId}/access_as_user`);
  });

  it('aud the bare application id while the API accepts only api://<id>: rule 8, set the GUID, with the accessTokenAcceptedVersion hint', async () => {
    const run = await explain(emulator.mintAccessToken(), [], {
      ENTRA_CLIENT_ID: '',
      AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID: `api://${emulator.apiClientId}`,
    });
    expect(run.code).to.equal(1);
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 8 +audience: audience_invalid/);
    expect(run.stdout).to.include(`Why: aud is the bare application id ${emulator.apiClientId} (a v2 token)`);
    expect(run.stdout).to.include('accessTokenAcceptedVersion');
    expect(run.stdout).to.include(`Set AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID=${emulator.apiClientId}`);
  });

  it('aud api://<id> (a v1 token) while the API accepts another App ID URI only: rule 8, add the id, with the version hint', async () => {
    const run = await explain(emulator.mintAccessToken({ version: '1.0' }), [], {
      ENTRA_CLIENT_ID: '',
      AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID: 'https://api.contoso.example',
    });
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 8 +audience/);
    expect(run.stdout).to.include(
      `Why: aud is "api://${emulator.apiClientId}", the App ID URI the client asked for (a v1 token)`,
    );
    expect(run.stdout).to.include(`add ${emulator.apiClientId} to AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID`);
    expect(run.stdout).to.include('set accessTokenAcceptedVersion to 2');
  });

  it("another tenant's token in a single-tenant API: rule 7, names both tenants and how to serve several", async () => {
    const run = await explain(emulator.mintAccessToken({ tenantId: emulator.tenants.secondary.id }));
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 7 +tenant, issuer, key issuer: issuer_invalid/);
    expect(run.stdout).to.include(
      `Why: The token is from tenant ${emulator.tenants.secondary.id}; this API accepts tenant ${emulator.tenants.primary.id} only.`,
    );
    expect(run.stdout).to.include(
      'AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID=organizations with AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS',
    );
  });

  it('a tenant not on the allow-list of a multi-tenant API: rule 7 tenant_not_allowed, add it to ALLOWED_TENANTS', async () => {
    const run = await explain(emulator.mintAccessToken({ tenantId: emulator.tenants.secondary.id }), [], {
      ENTRA_TENANT_ID: 'organizations',
      AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS: emulator.tenants.primary.id,
    });
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 7 .*: tenant_not_allowed/);
    expect(run.stdout).to.include(
      `Why: The token's tenant ${emulator.tenants.secondary.id} is not in AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS.`,
    );
    expect(run.stdout).to.include(`If ${emulator.tenants.secondary.id} is a customer, add it`);
  });

  it('an expired token: rule 5, by how much, and the clock skew in force', async () => {
    const token = emulator.mintAccessToken({ claims: { iat: now() - 7500, nbf: now() - 7500, exp: now() - 3900 } });
    const run = await explain(token, [], { AUTH_PROVIDER_AZURE_ENTRA_ID_LEEWAY: '120' });
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 5 +time: token_expired/);
    expect(run.stdout).to.match(/Why: The token expired 1 h 5 min ago\./);
    expect(run.stdout).to.include('the clock skew in force is AUTH_PROVIDER_AZURE_ENTRA_ID_LEEWAY=120 s');
    expect(run.stdout).to.include('Get a new token');
  });

  it('a token not yet valid: rule 5, when it becomes valid, the skew, and to check the clock', async () => {
    const run = await explain(emulator.mintAccessToken({ claims: { nbf: now() + 1800, exp: now() + 5400 } }));
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 5 +time: token_not_yet_valid/);
    expect(run.stdout).to.match(/Why: The token is not valid yet: it becomes valid in (29|30) min/);
    expect(run.stdout).to.include('clock skew in force is AUTH_PROVIDER_AZURE_ENTRA_ID_LEEWAY=300 s');
    expect(run.stdout).to.include('entra-auth doctor compares it');
  });

  it('an ID token (a nonce, no azp, no scp or roles), refused by rule 8 or by rule 9: says it is an ID token', async () => {
    const forClient = emulator.mintAccessToken({
      scopes: [],
      audience: emulator.clientAppId,
      claims: { nonce: 'n-0S6_WzA2Mj', azp: undefined },
    });
    const forApi = emulator.mintAccessToken({ scopes: [], claims: { nonce: 'n-0S6_WzA2Mj', azp: undefined } });
    for (const [token, rule] of [
      [forClient, 'rule 8 +audience'],
      [forApi, 'rule 9 +token kind'],
    ] as const) {
      const run = await explain(token);
      expect(ruleLines(run).at(-1)).to.match(new RegExp(`FAIL {2}${rule}`));
      expect(run.stdout).to.include('Why: This is an ID token, not an access token.');
      expect(run.stdout).to.include('a nonce claim, no azp or appid');
      expect(run.stdout).to.include('result.accessToken (not result.idToken)');
    }
  });

  it('an app-only token without roles: rule 9, assign an app role or ALLOW_ACL_AUTHORIZATION', async () => {
    const run = await explain(emulator.mintAccessToken({ appOnly: true, roles: [] }));
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 9 +token kind: not_an_access_token/);
    expect(run.stdout).to.include(
      `Why: An app-only token (client credentials) of client ${emulator.clientAppId} that holds no app role`,
    );
    expect(run.stdout).to.include('Define an app role');
    expect(run.stdout).to.include('AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOW_ACL_AUTHORIZATION=true');
  });

  it('a client ALLOWED_CLIENT_APPS does not list: rule 10, the client named, list it or call from a listed one', async () => {
    const listed = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
    const run = await explain(emulator.mintAccessToken(), [], {
      AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_CLIENT_APPS: listed,
    });
    expect(run.code).to.equal(1);
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 10 +client application: client_not_allowed/);
    expect(run.stdout).to.include(
      `Why: The token was issued to client application "${emulator.clientAppId}" (azp), which AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_CLIENT_APPS does not list.`,
    );
  });

  it('an unknown kid: rule 3, the published kids, and the three causes (rotated, wrong cloud, custom signing keys)', async () => {
    const run = await explain(emulator.mintAccessToken({ kid: 'rotated-away' }));
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 3 +signing key: key_not_found/);
    expect(run.stdout).to.include(`kid "rotated-away" is not among the 1 key the authority publishes`);
    expect(run.stdout).to.include(emulator.currentKid);
    expect(run.stdout).to.include('Rotated:');
    expect(run.stdout).to.include('Wrong cloud or authority');
    expect(run.stdout).to.include('AUTH_PROVIDER_AZURE_ENTRA_ID_SIGNING_KEYS_APP_ID=<its application id>');
  });

  it("a kid published only among the API's custom signing keys: names SIGNING_KEYS_APP_ID=<the API's id>", async () => {
    const kid = await emulator.addAppSigningKey(emulator.apiClientId);
    const run = await explain(emulator.mintAccessToken({ kid }));
    expect(ruleLines(run).at(-1)).to.match(/FAIL {2}rule 3/);
    expect(run.stdout).to.include(
      `It is published only among the custom signing keys of application ${emulator.apiClientId}.`,
    );
    expect(run.stdout).to.include(`set AUTH_PROVIDER_AZURE_ENTRA_ID_SIGNING_KEYS_APP_ID=${emulator.apiClientId}`);
    const fixed = await explain(emulator.mintAccessToken({ kid }), [], {
      AUTH_PROVIDER_AZURE_ENTRA_ID_SIGNING_KEYS_APP_ID: emulator.apiClientId,
    });
    expect(fixed.code).to.equal(0);
  });

  it('reads the token from standard input ("-" or no argument), a pasted "Bearer " prefix dropped', async () => {
    const token = emulator.mintAccessToken();
    for (const args of [['explain', '-'], ['explain']]) {
      const run = await runCli(args, emulatorEnv(emulator), `Bearer ${token}\n`);
      expect(run.code, run.output).to.equal(0);
      expect(run.stdout).to.match(/^entra-auth explain: VALID/);
      expectNothingSecret(run, token, emulator);
    }
    const empty = await runCli(['explain', '-'], emulatorEnv(emulator), '  \n');
    expect([empty.code, empty.stderr]).to.satisfy(
      ([code, stderr]: [number, string]) => code === 2 && stderr.includes('no token given'),
    );
  });

  it('--json: the rules, the refusal, the explanation and the exit code for machines, nothing secret in it', async () => {
    const token = emulator.mintAccessToken({ appOnly: true, roles: [] });
    const run = await explain(token, ['--json']);
    expect(run.code).to.equal(1);
    const report = JSON.parse(run.stdout);
    expect(report).to.include({ command: 'explain', valid: false, exitCode: 1 });
    expect(report.refusal).to.deep.equal({
      reason: 'not_an_access_token',
      status: 401,
      description: 'The token is not an access token for this API: an ID token or a token without scopes or roles.',
    });
    expect(report.rules.map((rule: { rule: string }) => rule.rule)).to.deep.equal([
      'request',
      'header',
      'signing_key',
      'signature',
      'time',
      'version',
      'issuer',
      'audience',
      'token_kind',
    ]);
    expect(report.rules.at(-1)).to.include({ number: 9, outcome: 'failed', reason: 'not_an_access_token' });
    expect(report.explanation.summary).to.match(/^An app-only token/);
    expect(report.token.claims).to.include({ idtyp: 'app', tid: emulator.tenants.primary.id });
    expect(report.token.claims.sub).to.equal('(hidden; --show-personal shows it)');

    const valid = JSON.parse((await explain(emulator.mintAccessToken(), ['--json'])).stdout);
    expect(valid).to.include({ valid: true, exitCode: 0 });
    expect(valid.user).to.include({ id: emulator.users.member.oid, kind: 'delegated' });
    expect(valid.user).to.not.have.any.keys('name', 'email');
  });

  it('shows names and emails only with --show-personal, never the signature', async () => {
    const token = emulator.mintAccessToken({ user: emulator.users.administrator });
    const run = await explain(token, ['--show-personal']);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.include('"Adele Admin"');
    expect(run.stdout).to.include('"adele@contoso.example"');
    expect(run.output).to.not.include(token.split('.')[2]);
    const json = JSON.parse((await explain(token, ['--json', '--show-personal'])).stdout);
    expect(json.user).to.include({ name: 'Adele Admin', email: 'adele@contoso.example' });
  });

  it('a forged token cannot write to the terminal: header and claim names and values reach it escaped, --show-personal too', async () => {
    const attacker = await getTestKeyPair(9);
    const token = emulator.mintAccessToken({
      signingKey: attacker.privateKey,
      header: { [`h${HOSTILE}`]: 'x' },
      claims: { [`c${HOSTILE}`]: `personal${HOSTILE}`, aud: `api://evil${HOSTILE}`, acr: HOSTILE },
    });
    for (const args of [[], ['--show-personal']]) {
      const run = await explain(token, args);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/^entra-auth explain: REFUSED: signature_invalid/);
      expectInert(run.output);
      for (const escaped of HOSTILE_ESCAPED) expect(run.stdout).to.include(escaped);
    }
    expect((await explain(token)).stdout).to.include(`values not shown: h\\u001b[2J\\u001b[H`);
    expect((await explain(token, ['--show-personal'])).stdout).to.include(`\n  c\\u001b[2J\\u001b[H`);
  });

  it('--json writes the same characters as \\uXXXX escapes, which read back as the token wrote them', async () => {
    const attacker = await getTestKeyPair(9);
    const token = emulator.mintAccessToken({
      signingKey: attacker.privateKey,
      claims: { [`c${HOSTILE}`]: `personal${HOSTILE}`, aud: `api://evil${HOSTILE}` },
    });
    for (const args of [['--json'], ['--json', '--show-personal']]) {
      const run = await explain(token, args);
      expectInert(run.output);
      const report = JSON.parse(run.stdout);
      expect(report.token.claims).to.have.property(`c${HOSTILE}`);
      expect(report.token.claims.aud).to.equal(`api://evil${HOSTILE}`);
    }
  });

  it("the user's scopes, roles and groups reach the terminal escaped (a signed token's values are someone else's text too)", async () => {
    const token = emulator.mintAccessToken({
      scopes: [`read${HOSTILE}`],
      roles: [`Admin${HOSTILE}`],
      groups: [`group${HOSTILE}`],
    });
    const run = await explain(token);
    expect(run.code).to.equal(0);
    expectInert(run.output);
    expect(run.stdout).to.include('scopes       read\\u001b[2J');
    expect(run.stdout).to.include('roles        Admin\\u001b[2J');
    expect(run.stdout).to.include('groups       group\\u001b[2J');
    expectInert((await explain(token, ['--json'])).output);
  });

  it('times out of the range of dates are explained, not a crash: exp 1e300 or -1e300, iat 1e300 with an unknown kid; --json too', async () => {
    const attacker = await getTestKeyPair(9);
    const farExp = emulator.mintAccessToken({ signingKey: attacker.privateKey, claims: { exp: 1e300 } });
    const farIat = emulator.mintAccessToken({
      signingKey: attacker.privateKey,
      kid: 'rotated-away',
      claims: { iat: 1e300 },
    });
    const longExpired = emulator.mintAccessToken({ claims: { iat: -1e300, nbf: -1e300, exp: -1e300 } });
    for (const token of [farExp, farIat, longExpired]) {
      for (const args of [[], ['--json']]) {
        const run = await explain(token, args);
        expect(run.code, run.stderr).to.equal(1);
        expect(run.stderr).to.equal('');
      }
    }
    expect((await explain(farExp)).stdout).to.include('exp          1e+300 (out of the range of dates)');
    const rotated = await explain(farIat);
    expect(ruleLines(rotated).at(-1)).to.match(/FAIL {2}rule 3 +signing key: key_not_found/);
    expect(rotated.stdout).to.include('(iat out of the range of dates)');
    const expired = await explain(longExpired);
    expect(ruleLines(expired).at(-1)).to.match(/FAIL {2}rule 5 +time: token_expired/);
    expect(expired.stdout).to.include('Why: The token expired a time out of the range of dates ago.');
  });

  it('--route with --app: whether @Authorized lets the user through, and which entry grants or lacks', async () => {
    const admin = await explain(emulator.mintAccessToken({ user: emulator.users.administrator }), [
      '--route',
      'GET /admin/users',
      '--app',
      SAMPLE_API,
    ]);
    expect(admin.code).to.equal(0);
    expect(admin.stdout).to.include('Route GET /admin/users (AdminController.users):\n  ALLOWED');
    expect(admin.stdout).to.match(/held {4} {2}group:Administrators/);

    const member = await explain(emulator.mintAccessToken(), ['--route', 'GET /admin/users', '--app', SAMPLE_API]);
    expect(member.code).to.equal(1);
    expect(member.stdout).to.match(/^entra-auth explain: VALID, but GET \/admin\/users refuses it/);
    expect(member.stdout).to.include('REFUSED: 403 insufficient_groups.');
    expect(member.stdout).to.match(/not held {2}group:Administrators/);

    const stepUp = JSON.parse(
      (
        await explain(emulator.mintAccessToken({ user: emulator.users.administrator }), [
          '--json',
          '--route',
          'GET /admin/audit-log',
          '--app',
          SAMPLE_API,
        ])
      ).stdout,
    );
    expect(stepUp.route).to.include({ verdict: 'refused', status: 401, reason: 'auth_context_required' });
    expect(stepUp.route.entries).to.deep.equal([
      { entry: 'group:Administrators', held: true },
      { entry: 'authContext:c1', held: false, reason: 'auth_context_required' },
    ]);
    const steppedUp = await explain(
      emulator.mintAccessToken({ user: emulator.users.administrator, authContexts: ['c1'] }),
      ['--route', 'GET /admin/audit-log', '--app', SAMPLE_API],
    );
    expect(steppedUp.stdout).to.include('Route GET /admin/audit-log (AdminController.auditLog):\n  ALLOWED');

    const guarded = JSON.parse(
      (
        await explain(emulator.mintAccessToken({ appOnly: true }), [
          '--json',
          '--route',
          'GET /tenant/settings/x',
          '--app',
          SAMPLE_API,
        ])
      ).stdout,
    );
    expect(guarded.route).to.include({
      verdict: 'refused',
      status: 403,
      reason: 'insufficient_scope',
      handler: 'TenantController.setting',
    });
    expect(guarded.route.entries).to.deep.equal([
      { entry: 'scope:access_as_user', held: false },
      { entry: 'role:Tenant.Read.All', held: true },
    ]);

    const open = await explain(emulator.mintAccessToken(), ['--route', 'GET /status', '--app', SAMPLE_API]);
    expect([open.code, open.stdout.includes('OPEN: any caller')]).to.deep.equal([0, true]);
    const refusedToken = await explain(emulator.mintAccessToken({ kid: 'x' }), [
      '--route',
      'GET /user/profile',
      '--app',
      SAMPLE_API,
    ]);
    expect(refusedToken.stdout).to.include('REFUSED: 401 key_not_found.');
    const missing = await explain(emulator.mintAccessToken(), ['--route', 'GET /nowhere', '--app', SAMPLE_API]);
    expect(missing.code).to.equal(2);
    expect(missing.stdout).to.include('NOT FOUND.');
    expect(missing.stdout).to.include('GET /admin/users');
  });

  it('a user in too many groups: the token lists none (overage), the groups provider says so, and a group route cannot tell', async () => {
    const token = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
    const run = await explain(token, ['--route', 'GET /admin/users', '--app', SAMPLE_API]);
    expect(run.stdout).to.include(
      'groups       overage, the token lists none; the groups provider answers groups_overage (GraphGroupsProvider would look them up)',
    );
    expect(run.stdout).to.include('REFUSED: 403 groups_overage.');
    expect(run.stdout).to.match(/unknown +group:Administrators \(groups_overage\)/);
  });

  it("--route matches as the app's router does: parameter patterns, the first route registered, @Get() without a path; names the route", async () => {
    const member = emulator.mintAccessToken();
    const judge = async (route: string) => {
      const run = await explain(member, ['--json', '--route', route, '--app', ROUTE_PATTERNS_API]);
      return { code: run.code, route: JSON.parse(run.stdout).route };
    };
    const numbered = await judge('GET /reports/42');
    expect(numbered.code).to.equal(1);
    expect(numbered.route).to.include({
      verdict: 'refused',
      status: 403,
      matched: 'GET /reports/:id(\\d+)',
      handler: 'NumberedReportsController.byNumber',
    });
    // "summary" is no number: /reports/:id(\d+) does not match it, the open /reports/:slug does.
    const named = await judge('GET /reports/summary');
    expect([named.code, named.route.verdict, named.route.handler]).to.deep.equal([
      0,
      'open',
      'NamedReportsController.bySlug',
    ]);
    // /reports/:slug is registered first: routing-controllers runs it, never /reports/latest.
    const latest = await judge('GET /reports/latest');
    expect(latest.route).to.include({ verdict: 'open', handler: 'NamedReportsController.bySlug' });
    expect(latest.route.details).to.include(
      'Also matching, never reached (the first route registered answers): GET /reports/latest (NamedReportsController.latest).',
    );
    for (const path of ['/items', '/items/']) {
      const items = await judge(`GET ${path}`);
      expect([items.code, items.route.verdict, items.route.matched]).to.deep.equal([0, 'allowed', 'GET /items']);
    }
    const plain = await explain(member, ['--route', 'GET /reports/42', '--app', ROUTE_PATTERNS_API]);
    expect(plain.stdout).to.include(
      'Route GET /reports/42 matches GET /reports/:id(\\d+) (NumberedReportsController.byNumber):\n  REFUSED: 403',
    );
  });

  it('--app takes compiled JavaScript only, and a module that fails to load is named by its error class, never its message', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'entra-auth-app-'));
    try {
      const secret = 'hunter2supersecret';
      const token = emulator.mintAccessToken();
      const envFile = path.join(folder, 'settings');
      const script = path.join(folder, 'broken.js');
      writeFileSync(envFile, `CLIENT_SECRET=${secret}\n`);
      writeFileSync(script, `CLIENT_SECRET=${secret}\n`);
      const notJavaScript = await explain(token, ['--route', 'GET /x', '--app', envFile]);
      expect(notJavaScript.code).to.equal(2);
      expect(notJavaScript.stderr).to.include(
        '--app: the module must be compiled JavaScript, a file ending in .js, .cjs or .mjs',
      );
      const broken = await explain(token, ['--route', 'GET /x', '--app', script]);
      expect(broken.code).to.equal(2);
      expect(broken.stderr).to.include('--app: the module cannot be loaded (ReferenceError)');
      for (const run of [notJavaScript, broken]) expect(run.output).to.not.include(secret);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exit 2 for a configuration error (naming the variable) or a bad command line; 3 when the keys cannot be had', async () => {
    const token = emulator.mintAccessToken();
    const unconfigured = await runCli(['explain', token], {});
    expect(unconfigured.code).to.equal(2);
    expect(unconfigured.stderr).to.include('AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID');
    expectNothingSecret(unconfigured, token, emulator);
    const json = await runCli(['explain', token, '--json'], {});
    expect(JSON.parse(json.stdout).error).to.equal('configuration');

    const routeWithoutApp = await explain(token, ['--route', 'GET /x']);
    expect([routeWithoutApp.code, routeWithoutApp.stderr.includes('--route needs --app')]).to.deep.equal([2, true]);
    expect((await runCli(['explain', token, '--no-such-option'], emulatorEnv(emulator))).code).to.equal(2);

    const port = await freePort();
    const down = await explain(token, [], {
      AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: `http://127.0.0.1:${port}/{}/v2.0/.well-known/openid-configuration`,
    });
    expect(down.code).to.equal(3);
    expect(ruleLines(down).at(-1)).to.match(/FAIL {2}rule 3 +signing key: keys_unavailable/);
    expect(down.stdout).to.include(`Why: No connection to the authority http://127.0.0.1:${port}.`);

    const unknownTenant = await explain(token, [], { ENTRA_TENANT_ID: 'nowhere.example' });
    expect(unknownTenant.code).to.equal(2);
    expect(unknownTenant.stdout).to.include('Tenant not found');
    expect(unknownTenant.stdout).to.include('Check TENANT_ID');
  });

  it('--settings-file: the settings from a .env file, the environment winning as with node --env-file; Node acts on nothing in it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'entra-auth-env-'));
    try {
      const file = path.join(folder, '.env');
      const ran = path.join(folder, 'ran');
      const preload = path.join(folder, 'preload.js');
      writeFileSync(preload, `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran');\n`);
      const lines = Object.entries(emulatorEnv(emulator)).map(([name, value]) => `${name}=${value}`);
      // Node 20 acts on its own --env-file even after the script's name: this line would run preload.js.
      writeFileSync(file, `# the API's settings\n${lines.join('\n')}\nNODE_OPTIONS=--require=${preload}\n`);
      const token = emulator.mintAccessToken();
      const run = await runCli(['explain', token, '--settings-file', file], {});
      expect(run.code, run.output).to.equal(0);
      expect(existsSync(ran), 'NODE_OPTIONS from the settings file ran code').to.equal(false);
      const overridden = await runCli(['explain', token, '--settings-file', file], {
        ENTRA_CLIENT_ID: emulator.clientAppId,
      });
      expect(overridden.code).to.equal(1);
      expect(overridden.stdout).to.include('audience_invalid');
      const missing = await runCli(['explain', token, '--settings-file', path.join(folder, 'missing')], {});
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include('entra-auth: --settings-file: the file cannot be read (ENOENT)');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('uses the container an --app module exports: its settings in code and its HttpClient', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'entra-auth-app-'));
    try {
      const requestLog = path.join(folder, 'requests.log');
      const env = {
        SAMPLE_API_TENANT: emulator.tenants.primary.id,
        SAMPLE_API_CLIENT_ID: emulator.apiClientId,
        SAMPLE_API_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
        SAMPLE_API_REQUEST_LOG: requestLog,
      };
      const token = emulator.mintAccessToken();
      const run = await runCli(['explain', token, '--app', API_WITH_CONTAINER], env);
      expect(run.code, run.output).to.equal(0);
      expect(run.stdout).to.include('settings from the app container');
      expect(readFileSync(requestLog, 'utf8')).to.include(
        `GET ${emulator.baseUrl}/${emulator.tenants.primary.id}/v2.0/.well-known/openid-configuration`,
      );
      expectNothingSecret(run, token, emulator);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
