import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { expect } from 'chai';
import Koa from 'koa';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { container as rootContainer } from 'tsyringe';
import { ConfigurationError, registerEntraAuth } from '../../src';
import { entraSecurity, serveSwaggerUi, type OpenApiDocument } from '../../src/openapi';
import { get } from '../support/http';
import { specOf } from '../support/openapi';
import { ADMINISTRATORS, API, AUTHORITY, DocumentedController, TENANT } from './documented-controllers';

const CLIENT = 'cbd24263-6f32-458f-8b88-818cd60c6fb4';

/** Names no scope: the document's only scope is `.default`. */
@JsonController('/plain')
class PlainController {
  @Authorized()
  @Get('/any')
  any() {
    return {};
  }
}
const SWAGGER_UI_DIST = path.dirname(require.resolve('swagger-ui-dist/package.json'));

function documentFor(controllers: Function[]): OpenApiDocument {
  const container = registerEntraAuth(rootContainer.createChildContainer(), {
    settings: {
      tenantId: TENANT,
      audiences: [API],
      jwksUrlTemplate: `${AUTHORITY}/{}/v2.0/.well-known/openid-configuration`,
      groupAliases: { Administrators: ADMINISTRATORS },
      groupNamesInTokens: true,
    },
    env: {},
  });
  return entraSecurity(container, { controllers }).addTo(specOf(controllers));
}

async function serve(middleware: Koa.Middleware): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(middleware);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'passed on';
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('OpenAPI: serveSwaggerUi serves the document and Swagger UI from the local swagger-ui-dist', () => {
  const document = documentFor([DocumentedController]);
  let site: { url: string; close(): Promise<void> };

  before(async () => {
    site = await serve(serveSwaggerUi(document, { clientId: CLIENT }));
  });
  after(() => site.close());

  it('serves the document at /openapi.json', async () => {
    const answer = await get(`${site.url}/openapi.json`);
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(answer.json).to.deep.equal(JSON.parse(JSON.stringify(document)));
  });

  it('serves the page at /docs/ (from /docs), loading only its own files, under a strict Content-Security-Policy', async () => {
    const redirect = await get(`${site.url}/docs`);
    expect([redirect.status, redirect.headers.location]).to.deep.equal([301, '/docs/']);
    const page = await get(`${site.url}/docs/`);
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.equal('text/html; charset=utf-8');
    const loaded = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(loaded).to.deep.equal([
      './swagger-ui.css',
      './favicon-32x32.png',
      './favicon-16x16.png',
      './swagger-ui-bundle.js',
      './swagger-initializer.js',
    ]);
    for (const file of loaded) expect((await get(`${site.url}/docs/${file!.slice(2)}`)).status, file).to.equal(200);
    expect(page.headers['content-security-policy']).to.equal(
      `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${AUTHORITY}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.headers['x-content-type-options']).to.equal('nosniff');
    const bundle = await get(`${site.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.text).to.equal(readFileSync(path.join(SWAGGER_UI_DIST, 'swagger-ui-bundle.js'), 'utf8'));
    expect((await get(`${site.url}/docs/oauth2-redirect.html`)).text).to.contain('oauth2-redirect.js');
  });

  it('configures Swagger UI for the authorization-code flow with PKCE, as the given client, without the validator badge', async () => {
    const script = (await get(`${site.url}/docs/swagger-initializer.js`)).text;
    const config = JSON.parse(/var config = (\{.*\});/.exec(script)![1]!);
    // The document offers scopes of its own beside .default: none is ticked for the user.
    expect(config).to.deep.equal({ documentPath: '/openapi.json', clientId: CLIENT, scopes: [] });
    expect(script).to.contain('usePkceWithAuthorizationCodeGrant: true');
    expect(script).to.contain('validatorUrl: null');
  });

  it('ticks .default when it is the only scope to request', async () => {
    const plain = await serve(serveSwaggerUi(documentFor([PlainController]), { clientId: CLIENT, path: '/api-docs' }));
    try {
      const script = (await get(`${plain.url}/api-docs/swagger-initializer.js`)).text;
      expect(JSON.parse(/var config = (\{.*\});/.exec(script)![1]!).scopes).to.deep.equal([`api://${API}/.default`]);
    } finally {
      await plain.close();
    }
  });

  it("serves nothing else of swagger-ui-dist's folder, nor anything around it: other requests pass on", async () => {
    for (const target of [
      '/docs/package.json',
      '/docs/index.js',
      '/docs/absolute-path.js',
      '/docs/../package.json',
      '/docs/%2e%2e/package.json',
      '/docs/..%2fpackage.json',
      '/docs//swagger-ui.css',
      '/docsx',
      '/openapi.json/',
    ]) {
      const answer = await get(`${site.url}${target}`);
      expect([answer.status, answer.text], target).to.deep.equal([404, 'passed on']);
    }
  });

  it('refuses a client id that is not an application id, and paths it cannot serve, at startup', () => {
    expect(() => serveSwaggerUi(document, { clientId: 'swagger-ui' }))
      .to.throw(ConfigurationError)
      .with.property('problems')
      .that.deep.equals(['serveSwaggerUi: clientId must be the application (client) id, a GUID']);
    expect(() => serveSwaggerUi(document, { clientId: CLIENT, path: 'docs', documentPath: '/' }))
      .to.throw(ConfigurationError)
      .with.property('problems')
      .with.length(2);
  });
});
