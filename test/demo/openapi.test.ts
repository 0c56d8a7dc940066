import { expect } from 'chai';
import { getMetadataArgsStorage } from 'routing-controllers';
import { DEMO_CONTROLLERS } from '../../demo/controllers';
import { startDemoServer, type DemoServer } from '../../demo/demo-server';
import { AUTHORIZATION_EXTENSION, BEARER_SCHEME, OAUTH2_SCHEME } from '../../src/openapi';
import { EntraEmulator } from '../../src/testing';
import { get } from '../support/http';
import { expectValidOpenApi31 } from '../support/openapi';

/** What the decorators of each demo route say, read from routing-controllers' metadata, not from the document. */
function decoratedRoutes(): Array<{ method: string; path: string; roles: unknown[] | undefined }> {
  const storage = getMetadataArgsStorage();
  return storage.actions
    .filter((action) => DEMO_CONTROLLERS.includes(action.target as (typeof DEMO_CONTROLLERS)[number]))
    .map((action) => {
      const authorized = storage.responseHandlers.find(
        (handler) =>
          handler.type === 'authorized' &&
          handler.target === action.target &&
          (handler.method === action.method || handler.method === undefined),
      );
      return {
        method: action.type,
        path: String(action.route),
        roles: authorized ? ([] as unknown[]).concat(authorized.value ?? []) : undefined,
      };
    });
}

describe('Demo: /openapi.json describes every route, and /docs is configured to sign in', function () {
  this.timeout(30000);

  describe('embedded mode', () => {
    let demo: DemoServer;
    let document: any;

    before(async () => {
      demo = await startDemoServer({ PORT: '0', HOST: '127.0.0.1' });
      const answer = await get(`${demo.url}/openapi.json`);
      expect(answer.status).to.equal(200);
      document = answer.json;
    });
    after(() => demo.close());

    it('validates as OpenAPI 3.1', async () => {
      await expectValidOpenApi31(document);
    });

    it('gives every demo route the requirement its decorators imply', () => {
      const routes = decoratedRoutes();
      expect(routes.map(({ path }) => path).sort()).to.deep.equal(
        ['/admin/audit-log', '/admin/revocations', '/admin/users', '/health', '/tenant/info', '/user/profile'].sort(),
      );
      for (const { method, path, roles } of routes) {
        const operation = document.paths[path]?.[method];
        expect(operation, path).to.be.an('object');
        if (roles === undefined) {
          expect(operation.security, path).to.deep.equal([]);
          expect(operation, path).to.not.have.property(AUTHORIZATION_EXTENSION);
          continue;
        }
        expect(operation.security, path).to.deep.equal([{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]);
        expect(Object.keys(operation.responses), path).to.include.members(['401', '503']);
        const stated = operation[AUTHORIZATION_EXTENSION].allOf.flatMap((set: any) => [
          ...set.anyOf.map((entry: any) => entry.name ?? entry.value),
          // Conditions (authContext:, app:, guest:) are stated apart from the ANY-of entries.
          ...(set.conditions ?? []).map((entry: any) => `${entry.kind}:${entry.value}`),
        ]);
        // An ANY-of entry with a kind prefix (`role:Sessions.Revoke`) is stated by its value.
        expect(stated, path).to.deep.equal(
          roles.map((entry) => String(entry).replace(/^(role|scope|permission|group):/i, '')),
        );
        expect(Object.hasOwn(operation.responses, '403'), path).to.equal(roles.length > 0);
      }
      expect(document.paths['/admin/users'].get.description).to.equal(
        '**Authorization:** a valid access token for this API whose caller holds ANY of: group Administrators.',
      );
      expect(document.paths['/admin/audit-log'].get[AUTHORIZATION_EXTENSION].allOf).to.deep.equal([
        {
          source: '@Authorized',
          anyOf: [{ kind: 'group', name: 'Administrators', matchedBy: 'alias' }],
          conditions: [{ kind: 'authContext', value: 'c1', claim: 'acrs' }],
        },
      ]);
      expect(document.paths['/admin/audit-log'].get.description).to.equal(
        '**Authorization:** a valid access token for this API whose caller holds ANY of: group Administrators, and ALL of: authentication context c1 (step-up).',
      );
    });

    it("signs in at the emulator, as the emulator's client application, and holds none of their secrets", async () => {
      const flow = document.components.securitySchemes[OAUTH2_SCHEME].flows.authorizationCode;
      const tenant = demo.settings.tenantId;
      expect(flow.authorizationUrl).to.equal(`${demo.settings.authorityOrigin}/${tenant}/oauth2/v2.0/authorize`);
      expect((await get(flow.authorizationUrl)).status).to.equal(400);
      const script = (await get(`${demo.url}/docs/swagger-initializer.js`)).text;
      expect(script).to.contain(`"clientId":"${demo.swaggerUiClientId}"`);
      expect(demo.swaggerUiClientId).to.equal(demo.appOnlyClient!.clientId);
      const text = JSON.stringify(document);
      expect(text).to.not.contain(demo.appOnlyClient!.clientSecret);
      expect(text).to.not.contain('emulator-api-client-secret');
      expect(demo.settings.clientCredential).to.not.equal(undefined);
    });
  });

  it('external mode: signs in at the configured authority, as SWAGGER_UI_CLIENT_ID or else the API itself', async () => {
    const emulator = await EntraEmulator.start();
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID: emulator.tenants.primary.domain,
      AUTH_PROVIDER_AZURE_ENTRA_ID_AUDIENCE_ID: emulator.apiClientId,
      AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
      AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_NAMES_IN_TOKENS: 'true',
    };
    try {
      const own = await startDemoServer(env);
      try {
        const document = (await get(`${own.url}/openapi.json`)).json;
        expect(document.components.securitySchemes[OAUTH2_SCHEME].flows.authorizationCode.tokenUrl).to.equal(
          `${emulator.baseUrl}/${emulator.tenants.primary.domain}/oauth2/v2.0/token`,
        );
        expect([own.mode, own.swaggerUiClientId, own.appOnlyClient]).to.deep.equal([
          'external',
          emulator.apiClientId,
          undefined,
        ]);
      } finally {
        await own.close();
      }
      const named = await startDemoServer({ ...env, SWAGGER_UI_CLIENT_ID: emulator.clientAppId });
      try {
        expect(named.swaggerUiClientId).to.equal(emulator.clientAppId);
      } finally {
        await named.close();
      }
    } finally {
      await emulator.close();
    }
  });
});
