import { expect } from 'chai';
import { container } from 'tsyringe';
import {
  ConfigurationError,
  describeSettings,
  loadSettings,
  registerEntraAuth,
  type SettingsInput,
} from '../../../src';
import { isCompound } from '../../../src/core/settings/setting-kind';
import { SETTING_ROWS, describeVariables } from '../../../src/core/settings/settings-table';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const PREFIX = 'AUTH_PROVIDER_AZURE_ENTRA_ID_';

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  expect.fail('expected a ConfigurationError');
}

describe('Settings: environment variables, defaults and validation at startup', () => {
  it("derives the authority's OAuth endpoints and a claims challenge's authority from the discovery URL template and the tenant", () => {
    const single = loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, {});
    expect(single.oauth2Endpoint('authorize')).to.equal(
      `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
    );
    expect(single.claimsChallengeAuthority).to.deep.equal({
      realm: TENANT,
      authorizationUri: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
    });
    const multi = loadSettings(
      {
        tenantId: 'organizations',
        audiences: [CLIENT],
        validateTenant: false,
        jwksUrlTemplate: 'https://login.microsoftonline.us/{}/v2.0/.well-known/openid-configuration',
      },
      {},
    );
    expect(multi.oauth2Endpoint('token')).to.equal('https://login.microsoftonline.us/common/oauth2/v2.0/token');
    expect(multi.oauth2Endpoint('token', TENANT)).to.equal(
      `https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/token`,
    );
    expect(multi.claimsChallengeAuthority.realm).to.equal('');
    const behindAPath = loadSettings(
      {
        tenantId: TENANT,
        audiences: [CLIENT],
        jwksUrlTemplate: 'https://sts.example.com/entra/{}/v2.0/.well-known/openid-configuration',
      },
      {},
    );
    expect(behindAPath.oauth2Endpoint('authorize')).to.equal(
      `https://sts.example.com/entra/${TENANT}/oauth2/v2.0/authorize`,
    );
  });

  it('reads the AUTH_PROVIDER_AZURE_ENTRA_ID_ family and applies the documented defaults', () => {
    const settings = loadSettings({}, { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT });
    expect(settings.tenantId).to.equal(TENANT);
    expect(settings.audiences).to.deep.equal([CLIENT, `api://${CLIENT}`]);
    expect(settings.jwksUrlTemplate).to.equal(
      'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration',
    );
    expect(settings.leeway).to.equal(300);
    expect(settings.algorithms).to.deep.equal(['RS256']);
    expect(settings.maxTokenBytes).to.equal(16384);
    expect(settings.allowAclAuthorization).to.equal(false);
    expect(settings.jwksRefreshInterval).to.equal(43200);
    expect(settings.jwksCooldown).to.equal(300);
    expect(settings.jwksStaleMaxAge).to.equal(86400);
    expect(settings.httpTimeoutMs).to.equal(5000);
    expect(settings.httpMaxBytes).to.equal(1048576);
    expect(settings.validateTenant).to.equal(true);
    expect(settings.isMultiTenant).to.equal(false);
    expect(Object.isFrozen(settings)).to.equal(true);
  });

  it('reads every setting from its variable, lists comma-separated', () => {
    const settings = loadSettings(
      {},
      {
        [`${PREFIX}TENANT_ID`]: 'organizations',
        [`${PREFIX}AUDIENCE_ID`]: ` ${CLIENT} , api://custom-uri `,
        [`${PREFIX}JWKS_URL_TEMPLATE`]: 'http://127.0.0.1:8080/{}/v2.0/.well-known/openid-configuration',
        [`${PREFIX}SIGNING_KEYS_APP_ID`]: CLIENT,
        [`${PREFIX}ALLOWED_TENANTS`]: `${TENANT},${CLIENT}`,
        [`${PREFIX}LEEWAY`]: '60',
        [`${PREFIX}ALGORITHMS`]: 'RS256,PS256',
        [`${PREFIX}MAX_TOKEN_BYTES`]: '8192',
        [`${PREFIX}ALLOW_ACL_AUTHORIZATION`]: 'TRUE',
        [`${PREFIX}JWKS_REFRESH_INTERVAL`]: '3600',
        [`${PREFIX}JWKS_COOLDOWN`]: '30',
        [`${PREFIX}JWKS_STALE_MAX_AGE`]: '7200',
        [`${PREFIX}HTTP_TIMEOUT_MS`]: '1500',
        [`${PREFIX}HTTP_MAX_BYTES`]: '65536',
      },
    );
    expect(settings.isMultiTenant).to.equal(true);
    expect(settings.audiences).to.deep.equal([CLIENT, `api://${CLIENT}`, 'api://custom-uri']);
    expect(settings.allowedTenants).to.deep.equal([TENANT, CLIENT]);
    expect(settings.signingKeysAppId).to.equal(CLIENT);
    expect(settings.leeway).to.equal(60);
    expect(settings.algorithms).to.deep.equal(['RS256', 'PS256']);
    expect(settings.maxTokenBytes).to.equal(8192);
    expect(settings.allowAclAuthorization).to.equal(true);
    expect(settings.jwksRefreshInterval).to.equal(3600);
    expect(settings.jwksCooldown).to.equal(30);
    expect(settings.jwksStaleMaxAge).to.equal(7200);
    expect(settings.httpTimeoutMs).to.equal(1500);
    expect(settings.httpMaxBytes).to.equal(65536);
    expect(settings.discoveryUrl('2.0')).to.equal(
      `http://127.0.0.1:8080/organizations/v2.0/.well-known/openid-configuration?appid=${CLIENT}`,
    );
    expect(settings.discoveryUrl('1.0')).to.equal(
      `http://127.0.0.1:8080/organizations/.well-known/openid-configuration?appid=${CLIENT}`,
    );
    expect(settings.authorityOrigin).to.equal('http://127.0.0.1:8080');
  });

  it('reads the ENTRA_ family: tenant, client id (as <id> and api://<id>), extra audience, issuer, validate-tenant', () => {
    const settings = loadSettings(
      {},
      {
        ENTRA_TENANT_ID: 'common',
        ENTRA_CLIENT_ID: CLIENT,
        ENTRA_AUDIENCE: 'https://api.contoso.example',
        ENTRA_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        ENTRA_VALIDATE_TENANT: 'false',
      },
    );
    expect(settings.tenantId).to.equal('common');
    expect(settings.audiences).to.deep.equal([CLIENT, `api://${CLIENT}`, 'https://api.contoso.example']);
    expect(settings.issuer).to.equal(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(settings.validateTenant).to.equal(false);
  });

  it('reads ENTRA_CLIENT_ID=api://<GUID> (the default App ID URI) as the GUID, so v2 tokens (aud = the GUID) pass too (D64)', () => {
    for (const written of [`api://${CLIENT}`, `api://${CLIENT}/`]) {
      const settings = loadSettings({}, { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: written });
      expect(settings.audiences, written).to.deep.equal([CLIENT, `api://${CLIENT}`]);
    }
    expect(loadSettings({ tenantId: TENANT, clientId: `api://${CLIENT}` }, {}).audiences).to.deep.equal([
      CLIENT,
      `api://${CLIENT}`,
    ]);
    const agreeing = loadSettings(
      {},
      { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT, ENTRA_CLIENT_ID: `api://${CLIENT}` },
    );
    expect(agreeing.audiences).to.deep.equal([CLIENT, `api://${CLIENT}`]);
    // Entra writes application ids in lower case: one given in upper case must still match them.
    const lettered = 'abcdef01-2222-3333-4444-5555555555ee';
    for (const written of [lettered.toUpperCase(), `api://${lettered.toUpperCase()}`]) {
      expect(
        loadSettings({}, { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: written }).audiences,
        written,
      ).to.include.members([lettered, `api://${lettered}`]);
    }
    // Any other App ID URI is an audience of its own, never a client id.
    expect(loadSettings({}, { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: 'api://orders' }).audiences).to.deep.equal([
      'api://orders',
    ]);
    expect(
      loadSettings({}, { ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: `api://${CLIENT}/access_as_user` }).audiences,
    ).to.deep.equal([`api://${CLIENT}/access_as_user`]);
  });

  it('lets values passed in code win over the environment', () => {
    const settings = loadSettings(
      { tenantId: 'contoso.onmicrosoft.com', audiences: ['api://in-code'], leeway: 0 },
      {
        [`${PREFIX}TENANT_ID`]: TENANT,
        ENTRA_TENANT_ID: 'common',
        [`${PREFIX}AUDIENCE_ID`]: CLIENT,
        [`${PREFIX}LEEWAY`]: '90',
      },
    );
    expect(settings.tenantId).to.equal('contoso.onmicrosoft.com');
    expect(settings.audiences).to.deep.equal(['api://in-code']);
    expect(settings.leeway).to.equal(0);
  });

  it('refuses two variable families that set the tenant differently', () => {
    const problems = problemsOf(() =>
      loadSettings({}, { [`${PREFIX}TENANT_ID`]: TENANT, ENTRA_TENANT_ID: 'common', ENTRA_CLIENT_ID: CLIENT }),
    );
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain(`${PREFIX}TENANT_ID and ENTRA_TENANT_ID`);
  });

  it('accepts both families when they agree', () => {
    const settings = loadSettings(
      {},
      { [`${PREFIX}TENANT_ID`]: TENANT, ENTRA_TENANT_ID: TENANT.toUpperCase(), ENTRA_CLIENT_ID: CLIENT },
    );
    expect(settings.tenantId).to.equal(TENANT);
  });

  it('names every bad setting by its variable in one error', () => {
    const problems = problemsOf(() =>
      loadSettings(
        {},
        {
          [`${PREFIX}TENANT_ID`]: 'not a tenant',
          [`${PREFIX}JWKS_URL_TEMPLATE`]: 'http://login.example.com/{}/v2.0/.well-known/openid-configuration',
          [`${PREFIX}LEEWAY`]: 'five minutes',
          [`${PREFIX}ALGORITHMS`]: 'RS256,HS256',
          [`${PREFIX}MAX_TOKEN_BYTES`]: '10',
          [`${PREFIX}ALLOW_ACL_AUTHORIZATION`]: 'yes',
          [`${PREFIX}JWKS_REFRESH_INTERVAL`]: '1',
          [`${PREFIX}JWKS_COOLDOWN`]: '-5',
          [`${PREFIX}JWKS_STALE_MAX_AGE`]: '1e9',
          [`${PREFIX}HTTP_TIMEOUT_MS`]: '0',
          [`${PREFIX}HTTP_MAX_BYTES`]: '999999999',
          [`${PREFIX}SIGNING_KEYS_APP_ID`]: 'app',
          ENTRA_ISSUER: 'http://evil.example/',
          ENTRA_VALIDATE_TENANT: 'maybe',
        },
      ),
    );
    const named = (variable: string): boolean => problems.some((problem) => problem.startsWith(variable));
    for (const variable of [
      `${PREFIX}TENANT_ID`,
      `${PREFIX}AUDIENCE_ID`,
      `${PREFIX}JWKS_URL_TEMPLATE`,
      `${PREFIX}LEEWAY`,
      `${PREFIX}ALGORITHMS`,
      `${PREFIX}MAX_TOKEN_BYTES`,
      `${PREFIX}ALLOW_ACL_AUTHORIZATION`,
      `${PREFIX}JWKS_REFRESH_INTERVAL`,
      `${PREFIX}JWKS_COOLDOWN`,
      `${PREFIX}JWKS_STALE_MAX_AGE`,
      `${PREFIX}HTTP_TIMEOUT_MS`,
      `${PREFIX}HTTP_MAX_BYTES`,
      `${PREFIX}SIGNING_KEYS_APP_ID`,
      'ENTRA_ISSUER',
      'ENTRA_VALIDATE_TENANT',
    ]) {
      expect(named(variable), `${variable} in:\n${problems.join('\n')}`).to.equal(true);
    }
    expect(problems).to.have.length(15);
    expect(problems.find((problem) => problem.startsWith(`${PREFIX}AUDIENCE_ID`))).to.contain('required');
  });

  it('requires the tenant and the audience', () => {
    const problems = problemsOf(() => loadSettings({}, {}));
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID \(or ENTRA_TENANT_ID\): required/);
    expect(problems[1]).to.match(
      /^AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID \(or ENTRA_CLIENT_ID, ENTRA_AUDIENCE\): required/,
    );
  });

  it('requires HTTPS for the authority except on loopback hosts', () => {
    const template = (origin: string): string => `${origin}/{}/v2.0/.well-known/openid-configuration`;
    for (const origin of [
      'https://login.microsoftonline.us',
      'http://127.0.0.1:3000',
      'http://localhost:1',
      'http://[::1]:9',
    ]) {
      expect(
        loadSettings({ tenantId: TENANT, audiences: [CLIENT], jwksUrlTemplate: template(origin) }, {}).jwksUrlTemplate,
      ).to.equal(template(origin));
    }
    for (const bad of [
      template('http://login.microsoftonline.com'),
      template('ftp://127.0.0.1'),
      template('https://user:secret@login.microsoftonline.com'),
      'https://login.microsoftonline.com/v2.0/.well-known/openid-configuration',
      'https://login.microsoftonline.com/{}/.well-known/openid-configuration',
      // The authority's authorize and token endpoints derive from it and end up in headers.
      'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration\n',
      'https://login.microsoftonline.com/\n{}/v2.0/.well-known/openid-configuration',
      'https://login.micrösoftonline.com/{}/v2.0/.well-known/openid-configuration',
      'https://{}.login.microsoftonline.com/x/v2.0/.well-known/openid-configuration',
      'https://login.microsoftonline.com/x{}/v2.0/.well-known/openid-configuration',
      'https://login.microsoftonline.com/v2.0/{}/.well-known/openid-configuration',
      'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration?x={}',
      'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration?a=b',
    ]) {
      const problems = problemsOf(() =>
        loadSettings({ tenantId: TENANT, audiences: [CLIENT], jwksUrlTemplate: bad }, {}),
      );
      expect(problems[0]).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: /);
    }
  });

  it('accepts a tenant as GUID, verified domain, common or organizations, and nothing else', () => {
    for (const tenantId of [TENANT, 'contoso.onmicrosoft.com', 'contoso.com']) {
      expect(loadSettings({ tenantId, audiences: [CLIENT] }, {}).tenantId).to.equal(tenantId);
    }
    for (const tenantId of ['common', 'organizations']) {
      expect(loadSettings({ tenantId, audiences: [CLIENT], validateTenant: false }, {}).tenantId).to.equal(tenantId);
    }
    for (const tenantId of [
      'consumers',
      'contoso',
      '../common',
      'https://login.microsoftonline.com/common',
      `${TENANT}x`,
    ]) {
      expect(problemsOf(() => loadSettings({ tenantId, audiences: [CLIENT] }, {}))[0]).to.match(/TENANT_ID/);
    }
  });

  it('refuses an allow-list or "any tenant" in a single-tenant app, and both together in a multi-tenant app', () => {
    expect(
      problemsOf(() => loadSettings({ tenantId: TENANT, audiences: [CLIENT], allowedTenants: [TENANT] }, {}))[0],
    ).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS: only for multi-tenant/);
    expect(
      problemsOf(() => loadSettings({ tenantId: TENANT, audiences: [CLIENT], validateTenant: false }, {}))[0],
    ).to.match(/^ENTRA_VALIDATE_TENANT: .*refused for a single-tenant app/);
    expect(
      problemsOf(() =>
        loadSettings({ tenantId: 'common', audiences: [CLIENT], allowedTenants: [TENANT], validateTenant: false }, {}),
      )[0],
    ).to.match(/^ENTRA_VALIDATE_TENANT: .*contradicts/);
    expect(
      problemsOf(() =>
        loadSettings({ tenantId: 'common', audiences: [CLIENT], allowedTenants: ['contoso.com'] }, {}),
      )[0],
    ).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS: expected a comma-separated list of tenant GUIDs/);
  });

  it('refuses a multi-tenant app that neither lists its tenants nor says "any tenant" explicitly', () => {
    const problems = problemsOf(() => loadSettings({ tenantId: 'common', audiences: [CLIENT] }, {}));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(
      /^AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_TENANTS: a multi-tenant app must list .* or set ENTRA_VALIDATE_TENANT=false/,
    );
    expect(
      loadSettings({ tenantId: 'common', audiences: [CLIENT], allowedTenants: [TENANT] }, {}).allowedTenants,
    ).to.deep.equal([TENANT]);
  });

  it('refuses AUDIENCE_ID and ENTRA_CLIENT_ID naming different applications', () => {
    const problems = problemsOf(() =>
      loadSettings({}, { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT, ENTRA_CLIENT_ID: TENANT }),
    );
    expect(problems).to.deep.equal([
      `${PREFIX}AUDIENCE_ID and ENTRA_CLIENT_ID: both are set, to different applications; set one`,
    ]);
    const agreeing = loadSettings(
      {},
      { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: `api://${CLIENT}`, ENTRA_CLIENT_ID: CLIENT },
    );
    expect(agreeing.audiences).to.deep.equal([`api://${CLIENT}`, CLIENT]);
  });

  it('never widens audiences set in code with audience variables of the environment', () => {
    const settings = loadSettings(
      { tenantId: TENANT, audiences: [CLIENT] },
      { ENTRA_CLIENT_ID: TENANT, ENTRA_AUDIENCE: 'api://other', [`${PREFIX}AUDIENCE_ID`]: 'api://another' },
    );
    expect(settings.audiences).to.deep.equal([CLIENT, `api://${CLIENT}`]);
  });

  it('freezes the settings and their lists', () => {
    const settings = loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, {});
    expect(() => (settings.audiences as string[]).push('api://evil')).to.throw(TypeError);
    expect(() => (settings.algorithms as string[]).push('PS256')).to.throw(TypeError);
  });

  it('refuses AUTH_MIDDLEWARE_DISABLED=true when NODE_ENV=production', () => {
    const env = { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT, AUTH_MIDDLEWARE_DISABLED: 'true' };
    expect(loadSettings({}, { ...env, NODE_ENV: 'development' }).middlewareDisabled).to.equal(true);
    expect(problemsOf(() => loadSettings({}, { ...env, NODE_ENV: 'production' }))).to.deep.equal([
      'AUTH_MIDDLEWARE_DISABLED: allowed only when NODE_ENV is unset, development, test or local; it lets every request in',
    ]);
  });

  it('refuses AUTH_MIDDLEWARE_DISABLED=true when NODE_ENV says production in any case or padding', () => {
    const env = { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT, AUTH_MIDDLEWARE_DISABLED: 'true' };
    for (const production of ['Production', 'PRODUCTION', ' production', 'production\n', '\tPRODUCTION \r\n']) {
      expect(
        problemsOf(() => loadSettings({}, { ...env, NODE_ENV: production })),
        JSON.stringify(production),
      ).to.deep.equal([
        'AUTH_MIDDLEWARE_DISABLED: allowed only when NODE_ENV is unset, development, test or local; it lets every request in',
      ]);
    }
    expect(
      problemsOf(() =>
        loadSettings(
          { middlewareDisabled: true },
          { ...env, AUTH_MIDDLEWARE_DISABLED: undefined, NODE_ENV: 'Production' },
        ),
      ),
    ).to.have.length(1);
  });

  it('allows AUTH_MIDDLEWARE_DISABLED=true only where NODE_ENV is unset or names a local environment, in both sources', () => {
    const env = { [`${PREFIX}TENANT_ID`]: TENANT, [`${PREFIX}AUDIENCE_ID`]: CLIENT, AUTH_MIDDLEWARE_DISABLED: 'true' };
    for (const local of [undefined, '', ' ', 'development', 'Development', 'test', ' TEST\n', 'local']) {
      expect(loadSettings({}, { ...env, NODE_ENV: local }).middlewareDisabled, JSON.stringify(local)).to.equal(true);
    }
    const lookalikes = ['"production"', "'production'", 'prod', 'Prod', 'production-eu', 'production,staging', 'live'];
    for (const other of [
      ...lookalikes,
      'staging',
      'production\u200b',
      'production\0',
      'productions',
      'pre-production',
    ]) {
      expect(
        problemsOf(() => loadSettings({}, { ...env, NODE_ENV: other })),
        JSON.stringify(other),
      ).to.deep.equal([
        'AUTH_MIDDLEWARE_DISABLED: allowed only when NODE_ENV is unset, development, test or local; it lets every request in',
      ]);
    }
  });

  it('refuses AUTH_MIDDLEWARE_DISABLED=true when process.env says production, though the environment given has no NODE_ENV or another one', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const env = {
        [`${PREFIX}TENANT_ID`]: TENANT,
        [`${PREFIX}AUDIENCE_ID`]: CLIENT,
        AUTH_MIDDLEWARE_DISABLED: 'true',
      };
      for (const given of [env, { ...env, NODE_ENV: 'development' }]) {
        expect(problemsOf(() => loadSettings({}, given))).to.deep.equal([
          'AUTH_MIDDLEWARE_DISABLED: allowed only when NODE_ENV is unset, development, test or local; it lets every request in',
        ]);
      }
      expect(
        problemsOf(() =>
          registerEntraAuth(container.createChildContainer(), { settings: { middlewareDisabled: true }, env: {} }),
        ),
      ).to.deep.equal([
        'AUTH_MIDDLEWARE_DISABLED: allowed only when NODE_ENV is unset, development, test or local; it lets every request in',
      ]);
      // Authentication on: production is no reason to refuse anything.
      expect(loadSettings({}, { ...env, AUTH_MIDDLEWARE_DISABLED: 'false' }).middlewareDisabled).to.equal(false);
    } finally {
      if (saved === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = saved;
    }
  });

  it('AUTH_MIDDLEWARE_DISABLED=true needs no tenant and no audience, but still names a bad one given', () => {
    const disabled = loadSettings({}, { AUTH_MIDDLEWARE_DISABLED: 'true' });
    expect(disabled.middlewareDisabled).to.equal(true);
    // The synthetic user's tenant stands in; no audience is accepted (no token is ever verified).
    expect(disabled.tenantId).to.equal('00000000-0000-0000-0000-000000000000');
    expect(disabled.audiences).to.deep.equal([]);
    expect(disabled.isMultiTenant).to.equal(false);
    expect(disabled.clientId).to.equal(undefined);
    expect(Object.isFrozen(disabled.audiences)).to.equal(true);

    const given = loadSettings({ tenantId: TENANT, audiences: [CLIENT], middlewareDisabled: true }, {});
    expect([given.tenantId, given.audiences]).to.deep.equal([TENANT, [CLIENT, `api://${CLIENT}`]]);

    const problems = problemsOf(() =>
      loadSettings(
        {},
        { AUTH_MIDDLEWARE_DISABLED: 'TRUE', ENTRA_TENANT_ID: 'not a tenant', [`${PREFIX}AUDIENCE_ID`]: 'has space' },
      ),
    );
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID \(or ENTRA_TENANT_ID\): expected/);
    expect(problems[1]).to.match(
      /^AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID \(or ENTRA_CLIENT_ID, ENTRA_AUDIENCE\): expected/,
    );
    // Graph lookups still authenticate as the API: a credential needs the API's client id.
    expect(problemsOf(() => loadSettings({ middlewareDisabled: true, clientSecret: 'secret' }, {}))[0]).to.match(
      /^AUTH_PROVIDER_AZURE_ENTRA_ID_CLIENT_SECRET .*must include its application \(client\) GUID/,
    );
    // A switch that is not true or false is named, and the tenant and audience are then required.
    expect(problemsOf(() => loadSettings({}, { AUTH_MIDDLEWARE_DISABLED: 'yes' }))).to.have.length(3);
  });

  it('refuses lists given in code as a string, naming the setting, instead of reading them character by character', () => {
    const base = { tenantId: 'organizations', audiences: [CLIENT], allowedTenants: [TENANT] };
    const cases: Array<[SettingsInput, string]> = [
      [
        { ...base, audiences: CLIENT as never },
        `${PREFIX}AUDIENCE_ID (or ENTRA_CLIENT_ID, ENTRA_AUDIENCE): expected an array of strings in code (audiences), not a string`,
      ],
      [
        { ...base, allowedTenants: TENANT as never },
        `${PREFIX}ALLOWED_TENANTS: expected an array of strings in code (allowedTenants), not a string`,
      ],
      [
        { ...base, algorithms: 'RS256' as never },
        `${PREFIX}ALGORITHMS: expected an array of strings in code (algorithms), not a string`,
      ],
    ];
    for (const [input, problem] of cases) {
      expect(problemsOf(() => loadSettings(input, {}))).to.deep.equal([problem]);
    }
    // With a client id beside it, the string must not fall back to the client id's audiences alone.
    expect(
      problemsOf(() => loadSettings({ ...base, audiences: 'api://custom' as never, clientId: CLIENT }, {})),
    ).to.deep.equal([
      `${PREFIX}AUDIENCE_ID (or ENTRA_CLIENT_ID, ENTRA_AUDIENCE): expected an array of strings in code (audiences), not a string`,
    ]);
  });

  it('refuses key-cache durations in an order that defeats them', () => {
    const base = { tenantId: TENANT, audiences: [CLIENT] };
    expect(
      problemsOf(() => loadSettings({ ...base, jwksRefreshInterval: 7200, jwksStaleMaxAge: 3600 }, {})),
    ).to.deep.equal([
      `${PREFIX}JWKS_STALE_MAX_AGE: must be at least ${PREFIX}JWKS_REFRESH_INTERVAL (7200); otherwise held keys expire before they are refreshed`,
    ]);
    expect(problemsOf(() => loadSettings({ ...base, jwksRefreshInterval: 600, jwksCooldown: 900 }, {}))).to.deep.equal([
      `${PREFIX}JWKS_COOLDOWN: must not exceed ${PREFIX}JWKS_REFRESH_INTERVAL (600)`,
    ]);
  });

  it('refuses algorithms outside the RSA family', () => {
    for (const algorithm of ['none', 'HS256', 'ES256', 'rs256']) {
      expect(
        problemsOf(() => loadSettings({ tenantId: TENANT, audiences: [CLIENT], algorithms: [algorithm] }, {}))[0],
      ).to.match(/^AUTH_PROVIDER_AZURE_ENTRA_ID_ALGORITHMS: /);
    }
  });
});

describe('Settings: guests, client applications, External ID authorities, the resource URL', () => {
  it('reads ALLOW_GUESTS, ALLOWED_CLIENT_APPS, AUTHORITY_TYPE (any case) and RESOURCE_URL, with their defaults', () => {
    const defaults = loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, {});
    expect([
      defaults.allowGuests,
      defaults.allowedClientApps,
      defaults.authorityType,
      defaults.resourceUrl,
    ]).to.deep.equal([false, undefined, 'workforce', undefined]);
    expect(defaults.isExternalId).to.equal(false);
    const settings = loadSettings(
      {},
      {
        [`${PREFIX}TENANT_ID`]: TENANT,
        [`${PREFIX}AUDIENCE_ID`]: CLIENT,
        [`${PREFIX}ALLOW_GUESTS`]: 'True',
        [`${PREFIX}ALLOWED_CLIENT_APPS`]: ` ${CLIENT} ,${TENANT}`,
        [`${PREFIX}AUTHORITY_TYPE`]: 'External_ID',
        [`${PREFIX}JWKS_URL_TEMPLATE`]: 'https://login.contoso.example/{}/v2.0/.well-known/openid-configuration',
        [`${PREFIX}RESOURCE_URL`]: 'https://api.contoso.example/mcp',
      },
    );
    expect(settings.allowGuests).to.equal(true);
    expect(settings.allowedClientApps).to.deep.equal([CLIENT, TENANT]);
    expect([settings.authorityType, settings.isExternalId]).to.deep.equal(['external_id', true]);
    expect(settings.resourceUrl).to.equal('https://api.contoso.example/mcp');
    // A custom URL domain, given explicitly, wins over the ciamlogin.com default.
    expect(settings.discoveryUrl('2.0')).to.equal(
      `https://login.contoso.example/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
  });

  it('defaults an External ID authority to https://<subdomain>.ciamlogin.com, the tenant by GUID, domain or bare subdomain', () => {
    const authority = (tenantId: string) =>
      loadSettings({ tenantId, audiences: [CLIENT], authorityType: 'external_id' }, {});
    expect(authority(TENANT).discoveryUrl('2.0')).to.equal(
      `https://${TENANT}.ciamlogin.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    for (const tenantId of ['contosoid', 'ContosoID.onmicrosoft.com']) {
      const settings = authority(tenantId);
      expect(settings.jwksUrlTemplate, tenantId).to.equal(
        'https://contosoid.ciamlogin.com/{}/v2.0/.well-known/openid-configuration',
      );
      expect(settings.authorityTenant, tenantId).to.equal(
        tenantId === 'contosoid' ? 'contosoid.onmicrosoft.com' : tenantId,
      );
      expect(settings.discoveryUrl('1.0'), tenantId).to.match(
        /^https:\/\/contosoid\.ciamlogin\.com\/contosoid\.onmicrosoft\.com\/\.well-known\/openid-configuration$/i,
      );
      expect(settings.oauth2Endpoint('token'), tenantId).to.match(
        /^https:\/\/contosoid\.ciamlogin\.com\/contosoid\.onmicrosoft\.com\/oauth2\/v2\.0\/token$/i,
      );
    }
    // A workforce tenant keeps Microsoft's login host.
    expect(loadSettings({ tenantId: 'contoso.onmicrosoft.com', audiences: [CLIENT] }, {}).jwksUrlTemplate).to.equal(
      'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration',
    );
  });
});

describe('Settings table: one row per setting drives loading, messages and print-outs', () => {
  it('reads each value setting from its variable, and names that variable when the value is bad', () => {
    const valueRows = SETTING_ROWS.filter((row) => !isCompound(row.kind));
    expect(valueRows.map(({ key }) => key)).to.include.members(['leeway', 'issuer', 'groupAliases', 'algorithms']);
    for (const row of valueRows) {
      const problems = problemsOf(() =>
        loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, { [row.variables[0]]: 'not, a valid value' }),
      );
      expect(
        problems.some((problem) => problem.startsWith(`${describeVariables(row.key)}: expected`)),
        `${row.key}:\n${problems.join('\n')}`,
      ).to.equal(true);
    }
  });

  it('applies each default of the table when nothing is set', () => {
    const settings = loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, {});
    const withDefaults = SETTING_ROWS.filter((row) => 'default' in row);
    expect(withDefaults).to.have.length.greaterThan(10);
    for (const row of withDefaults) {
      expect(settings[row.key], row.key).to.deep.equal(row.default);
    }
    for (const row of SETTING_ROWS.filter((row) => !('default' in row) && !('whenDisabled' in row))) {
      expect(settings[row.key], row.key).to.equal(undefined);
    }
  });

  it('describes every setting once for a start-up print-out, never showing a secret', () => {
    const secret = 'never-print-this-secret~1';
    const settings = loadSettings({ tenantId: TENANT, audiences: [CLIENT], clientSecret: secret, leeway: 42 }, {});
    const described = describeSettings(settings);
    expect(described.map(({ key }) => key)).to.deep.equal(SETTING_ROWS.map(({ key }) => key));
    expect(JSON.stringify(described)).to.not.contain(secret);
    const valueOf = (key: string): string | undefined => described.find((entry) => entry.key === key)?.value;
    expect(valueOf('clientCredential')).to.equal('client secret (never shown)');
    expect(valueOf('leeway')).to.equal('42');
    expect(valueOf('audiences')).to.equal(`${CLIENT}, api://${CLIENT}`);
    expect(valueOf('issuer')).to.equal('unset');
    expect(described.find((entry) => entry.key === 'tenantId')?.variables).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID',
      'ENTRA_TENANT_ID',
    ]);
  });

  it('names no environment variable twice', () => {
    const variables = SETTING_ROWS.flatMap((row) => row.variables);
    expect(variables).to.deep.equal([...new Set(variables)]);
  });
});
