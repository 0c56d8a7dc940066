import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { ConfigurationError, resourceMetadataUrl, type SettingsInput } from '../../../src';
import { serveProtectedResourceMetadata } from '../../../src/koa';
import { apiClientId, type EntraEmulator } from '../../../src/testing';
import { startupProblems, withApp, type TestApp } from '../../support/app';
import { bearer, get } from '../../support/http';

@JsonController('/metadata-api')
class MetadataApiController {
  @Authorized()
  @Get('/any-user')
  anyUser() {
    return { ok: true };
  }

  @Authorized(['role:Admin'])
  @Get('/admin')
  admin() {
    return { ok: true };
  }

  @Authorized(['authContext:c1'])
  @Get('/stepped-up')
  steppedUp() {
    return { ok: true };
  }
}

const RESOURCE = 'https://api.contoso.example';
const METADATA_URL = 'https://api.contoso.example/.well-known/oauth-protected-resource';

describe('Protected resource metadata (RFC 9728): the document, and resource_metadata in every 401 challenge', () => {
  const scope = `api://${apiClientId}/access_as_user`;
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    app = await withApp({
      controllers: [MetadataApiController],
      settings: { resourceUrl: RESOURCE },
      mount: (container) =>
        serveProtectedResourceMetadata(container, {
          scopesSupported: [scope],
          resourceName: 'Contoso API',
          resourceDocumentation: 'https://docs.contoso.example/api',
        }),
    });
    emulator = app.emulator;
  });
  after(() => app.close());

  it('serves the document at /.well-known/oauth-protected-resource, to GET and HEAD, before any token is read', async () => {
    const tenant = emulator.tenants.primary.id;
    for (const headers of [{}, bearer('not-a-token'), bearer(emulator.mintAccessToken({ audience: 'other' }))]) {
      const served = await get(`${app.url}/.well-known/oauth-protected-resource`, headers);
      expect(served.status).to.equal(200);
      expect(served.headers['content-type']).to.match(/^application\/json/);
      expect(served.headers['access-control-allow-origin']).to.equal('*');
      expect(served.json).to.deep.equal({
        resource: RESOURCE,
        authorization_servers: [`${emulator.baseUrl}/${tenant}/v2.0`],
        scopes_supported: [scope],
        bearer_methods_supported: ['header'],
        resource_name: 'Contoso API',
        resource_documentation: 'https://docs.contoso.example/api',
      });
    }
    const head = await fetch(`${app.url}/.well-known/oauth-protected-resource`, { method: 'HEAD' });
    expect([head.status, await head.text()]).to.deep.equal([200, '']);
    const post = await fetch(`${app.url}/.well-known/oauth-protected-resource`, { method: 'POST' });
    expect(post.status).to.equal(404);
  });

  it("names the authorization server whose /.well-known/openid-configuration is the tenant's metadata", async () => {
    const served = await get(`${app.url}/.well-known/oauth-protected-resource`);
    const discovery = await get(`${served.json.authorization_servers[0]}/.well-known/openid-configuration`);
    expect(discovery.status).to.equal(200);
    expect(discovery.json.issuer).to.equal(emulator.issuer('2.0'));
  });

  it('adds resource_metadata="<metadata URL>" to every 401 challenge: no token, a bad token, a claims challenge', async () => {
    const anonymous = await get(`${app.url}/metadata-api/any-user`);
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers['www-authenticate']).to.equal(`Bearer realm="api", resource_metadata="${METADATA_URL}"`);

    const expired = await get(
      `${app.url}/metadata-api/any-user`,
      bearer(emulator.mintAccessToken({ lifetimeSeconds: -600 })),
    );
    expect(expired.headers['www-authenticate']).to.equal(
      `Bearer realm="api", error="invalid_token", error_description="The access token has expired.", resource_metadata="${METADATA_URL}"`,
    );

    const stepUp = await get(`${app.url}/metadata-api/stepped-up`, bearer(emulator.mintAccessToken()));
    expect(stepUp.status).to.equal(401);
    expect(stepUp.headers['www-authenticate']).to.match(/, claims="[A-Za-z0-9+/=]+", resource_metadata="([^"]+)"$/);
    expect(stepUp.headers['www-authenticate']).to.contain(`resource_metadata="${METADATA_URL}"`);
  });

  it('leaves 403 answers as they were (a valid token: the client knows where tokens come from)', async () => {
    const forbidden = await get(`${app.url}/metadata-api/admin`, bearer(emulator.mintAccessToken()));
    expect(forbidden.status).to.equal(403);
    expect(forbidden.headers['www-authenticate']).to.equal(undefined);
  });

  it('puts a resource path after the well-known suffix (RFC 9728 §3.1), and serves only there', async () => {
    expect(resourceMetadataUrl('https://api.contoso.example/')).to.equal(METADATA_URL);
    expect(resourceMetadataUrl('https://api.contoso.example/mcp')).to.equal(`${METADATA_URL}/mcp`);
    const mcp = await withApp({
      controllers: [MetadataApiController],
      sharing: app,
      settings: { resourceUrl: 'https://api.contoso.example/mcp' },
      mount: (container) => serveProtectedResourceMetadata(container),
    });
    try {
      const served = await get(`${mcp.url}/.well-known/oauth-protected-resource/mcp`);
      expect([served.status, served.json.resource]).to.deep.equal([200, 'https://api.contoso.example/mcp']);
      expect(served.json).to.not.have.property('scopes_supported');
      expect((await get(`${mcp.url}/.well-known/oauth-protected-resource`)).status).to.equal(404);
      expect((await get(`${mcp.url}/metadata-api/any-user`)).headers['www-authenticate']).to.equal(
        `Bearer realm="api", resource_metadata="${METADATA_URL}/mcp"`,
      );
    } finally {
      await mcp.close();
    }
  });

  it('names organizations for a multi-tenant API', async () => {
    const multi = await withApp({
      controllers: [],
      sharing: app,
      settings: { tenantId: 'organizations', validateTenant: false, resourceUrl: RESOURCE },
      mount: (container) => serveProtectedResourceMetadata(container),
    });
    try {
      const served = await get(`${multi.url}/.well-known/oauth-protected-resource`);
      expect(served.json.authorization_servers).to.deep.equal([`${emulator.baseUrl}/organizations/v2.0`]);
    } finally {
      await multi.close();
    }
  });

  it('is off without RESOURCE_URL: no resource_metadata, and mounting the helper fails the start naming the setting', async () => {
    const plain = await withApp({ controllers: [MetadataApiController], sharing: app });
    try {
      expect((await get(`${plain.url}/metadata-api/any-user`)).headers['www-authenticate']).to.equal(
        'Bearer realm="api"',
      );
      expect(() => serveProtectedResourceMetadata(plain.container)).to.throw(
        ConfigurationError,
        /AUTH_PROVIDER_AZURE_ENTRA_ID_RESOURCE_URL: required to serve protected resource metadata/,
      );
    } finally {
      await plain.close();
    }
  });

  it('refuses at startup a RESOURCE_URL that is no https URL, has a query or fragment, or is not written as a URL parser writes it, and bad options', async () => {
    for (const resourceUrl of [
      'http://api.contoso.example',
      'https://api.contoso.example/?v=1',
      'https://api.contoso.example/#x',
      'api',
      // RFC 9728 §3.3: clients compare `resource` with the URL they called, as text.
      'https://API.contoso.example/mcp',
      'https://api.contoso.example:443/mcp',
      'https://api.contoso.example/a/../mcp',
      'https://api.contoso.example/%2e%2e/mcp',
      'https://api.contoso.example/m cp',
      'https://api.contoso.example/m"cp',
      'https://api.contoso.example/mcp\\x',
      'https://api.contoso.example/m\u00e9',
      'https://api.contoso.example/mcp\r\n',
    ]) {
      const settings: SettingsInput = { resourceUrl };
      expect(
        await startupProblems(() => withApp({ controllers: [], sharing: app, settings })),
        resourceUrl,
      ).to.deep.equal([
        'AUTH_PROVIDER_AZURE_ENTRA_ID_RESOURCE_URL: expected the https URL of this API (http only for loopback hosts), without query or fragment, in the form a URL parser writes it (lower-case host, no default port, no dot segments, special characters percent-encoded)',
      ]);
    }
    for (const resourceUrl of [
      'https://api.contoso.example',
      'https://api.contoso.example/',
      'https://api.contoso.example/m%C3%A9',
    ]) {
      // Starts (a ConfigurationError would fail the test).
      await (await withApp({ controllers: [], sharing: app, settings: { resourceUrl } })).close();
    }
    const problems = await startupProblems(() =>
      withApp({
        controllers: [],
        sharing: app,
        settings: { resourceUrl: RESOURCE },
        mount: (container) =>
          serveProtectedResourceMetadata(container, {
            scopesSupported: ['access as user'],
            resourceName: ' ',
            resourceDocumentation: 'http://docs.contoso.example',
          }),
      }),
    );
    expect(problems).to.deep.equal([
      'scopesSupported: expected a non-empty array of scopes, printable ASCII without spaces or quotes',
      'resourceName: expected a non-empty string',
      'resourceDocumentation: expected an https URL (http only for loopback hosts)',
    ]);
  });
});
