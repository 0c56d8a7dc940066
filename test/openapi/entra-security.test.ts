import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import Koa from 'koa';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ConfigurationError, registerEntraAuth, type SettingsInput } from '../../src';
import {
  AUTHORIZATION_EXTENSION,
  BEARER_SCHEME,
  entraSecurity,
  OAUTH2_SCHEME,
  type OpenApiDocument,
} from '../../src/openapi';
import { describeRequirement } from '../../src/openapi/requirement-description';
import { useEntraAuth } from '../../src/routing-controllers';
import type { RequirementKind } from '../../src/core/authorization/authorization';
import { createSelfSignedCertificate } from '../support/certificate';
import { expectValidOpenApi31, specOf } from '../support/openapi';
import {
  ADMINISTRATORS,
  API,
  AUDITORS,
  AUTHORITY,
  DOCUMENTED_CONTROLLERS as CONTROLLERS,
  DocumentedController,
  TENANT,
  TypoController,
} from './documented-controllers';

function appContainer(settings: SettingsInput = {}): DependencyContainer {
  return registerEntraAuth(rootContainer.createChildContainer(), {
    settings: {
      tenantId: TENANT,
      audiences: [API],
      jwksUrlTemplate: `${AUTHORITY}/{}/v2.0/.well-known/openid-configuration`,
      groupAliases: { Administrators: ADMINISTRATORS },
      groupNamesInTokens: true,
      ...settings,
    },
    env: {},
  });
}

function documentOf(container = appContainer()): OpenApiDocument {
  return entraSecurity(container, { controllers: CONTROLLERS }).addTo(specOf(CONTROLLERS));
}

const DOCUMENT = documentOf();

function operation(path: string): Record<string, any> {
  const item = DOCUMENT.paths[path];
  expect(item, `no path ${path} in ${Object.keys(DOCUMENT.paths).join(', ')}`).to.not.equal(undefined);
  return item!.get as Record<string, any>;
}

const scope = (name: string) => `api://${API}/${name}`;

describe('OpenAPI: entraSecurity documents what each route requires, as the checker decides it', () => {
  it('is a valid OpenAPI 3.1 document once merged into what routing-controllers-openapi builds', async () => {
    expect(specOf(CONTROLLERS).openapi).to.equal('3.0.0');
    expect(DOCUMENT.openapi).to.equal('3.1.0');
    await expectValidOpenApi31(DOCUMENT);
  });

  it('offers an OAuth 2.0 scheme with Entra endpoints from the authority and tenant, scopes from scope: entries, and a JWT bearer scheme', () => {
    const endpoint = (name: string) => `${AUTHORITY}/${TENANT}/oauth2/v2.0/${name}`;
    expect(DOCUMENT.components.securitySchemes).to.deep.equal({
      [OAUTH2_SCHEME]: {
        type: 'oauth2',
        description: (DOCUMENT.components.securitySchemes![OAUTH2_SCHEME] as { description: string }).description,
        flows: {
          authorizationCode: {
            authorizationUrl: endpoint('authorize'),
            tokenUrl: endpoint('token'),
            scopes: {
              [scope('.default')]:
                'Every delegated permission of this API consented for the client: enough for operations that name no scope. Request it alone (Entra refuses it beside another scope of this API).',
              [scope('Reports.Read')]: 'Delegated permission Reports.Read of this API.',
              [scope('Reports.ReadWrite')]: 'Delegated permission Reports.ReadWrite of this API.',
            },
          },
          clientCredentials: {
            tokenUrl: endpoint('token'),
            scopes: { [scope('.default')]: 'The app roles of this API granted to the client application.' },
          },
        },
      },
      [BEARER_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A Microsoft Entra ID access token issued for this API (`Authorization: Bearer <token>`).',
      },
    });
  });

  it('signs users of a multi-tenant API in through common, on a national cloud host', () => {
    const document = documentOf(
      appContainer({
        tenantId: 'organizations',
        validateTenant: false,
        jwksUrlTemplate: 'https://login.entra-emulator.us/{}/v2.0/.well-known/openid-configuration',
      }),
    );
    const flow = (document.components.securitySchemes![OAUTH2_SCHEME] as any).flows.authorizationCode;
    expect([flow.authorizationUrl, flow.tokenUrl]).to.deep.equal([
      'https://login.entra-emulator.us/common/oauth2/v2.0/authorize',
      'https://login.entra-emulator.us/common/oauth2/v2.0/token',
    ]);
  });

  it('an open route has no requirement and no refusals to document', () => {
    const open = operation('/documented/open');
    expect(open.security).to.deep.equal([]);
    expect(open).to.not.have.property(AUTHORIZATION_EXTENSION);
    expect(Object.keys(open.responses)).to.deep.equal(['200']);
    expect(open).to.not.have.property('description');
  });

  it('@Authorized(): any token of either scheme, 401 and 503, and no 403 (the checker never answers it there)', () => {
    const any = operation('/documented/any');
    expect(any.security).to.deep.equal([{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]);
    expect(any[AUTHORIZATION_EXTENSION]).to.deep.equal({ tokenRequired: true, allOf: [] });
    expect(any.description).to.equal('**Authorization:** any valid access token for this API.');
    expect(Object.keys(any.responses)).to.deep.equal(['200', '401', '503']);
    expect(any.responses['401'].content['application/json'].examples.token_missing.value).to.deep.equal({
      error: 'unauthorized',
      error_description: 'No bearer access token was sent.',
      reason: 'token_missing',
    });
    expect(any.responses['401'].headers['WWW-Authenticate'].required).to.equal(true);
    expect(any.responses['503'].headers['Retry-After'].required).to.equal(true);
  });

  it('@Authorized([...]) with groups, roles and permissions: each entry stated, ANY-of, groups by alias name', () => {
    const mixed = operation('/documented/mixed');
    expect(mixed[AUTHORIZATION_EXTENSION]).to.deep.equal({
      tokenRequired: true,
      allOf: [
        {
          source: '@Authorized',
          anyOf: [
            { kind: 'group', name: 'Administrators', matchedBy: 'alias' },
            { kind: 'role', value: 'Reports.Write', claim: 'roles' },
            { kind: 'permission', value: 'reports.export', source: 'PermissionsProvider' },
            { kind: 'group', name: 'Domain Admins', matchedBy: 'name' },
          ],
        },
      ],
    });
    expect(mixed.description).to.equal(
      '**Authorization:** a valid access token for this API whose caller holds ANY of: group Administrators, app role Reports.Write, permission reports.export, group named Domain Admins.',
    );
    // A token without any scope can pass (by group, role or permission): no scope is required.
    expect(mixed.security).to.deep.equal([{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]);
    expect(Object.keys(mixed.responses['403'].content['application/json'].examples)).to.deep.equal([
      'insufficient_groups',
      'groups_overage',
    ]);
    expect(Object.keys(mixed.responses['503'].content['application/json'].examples)).to.deep.equal([
      'keys_unavailable',
      'groups_unavailable',
    ]);
    expect(JSON.stringify(mixed)).to.not.contain(ADMINISTRATORS);
  });

  it('scope: entries only: one alternative per scope in both schemes, and 403 insufficient_scope with its challenge', () => {
    const scopes = operation('/documented/scopes');
    expect(scopes.security).to.deep.equal([
      { [OAUTH2_SCHEME]: [scope('Reports.Read')] },
      { [OAUTH2_SCHEME]: [scope('Reports.ReadWrite')] },
      { [BEARER_SCHEME]: ['Reports.Read'] },
      { [BEARER_SCHEME]: ['Reports.ReadWrite'] },
    ]);
    expect(scopes[AUTHORIZATION_EXTENSION].allOf[0].anyOf[0]).to.deep.equal({
      kind: 'scope',
      value: 'Reports.Read',
      claim: 'scp',
      oauth2Scope: scope('Reports.Read'),
    });
    expect(Object.keys(scopes.responses['403'].content['application/json'].examples)).to.deep.equal([
      'insufficient_scope',
    ]);
    expect(scopes.responses['403'].headers).to.have.property('WWW-Authenticate');
    expect(Object.keys(scopes.responses['503'].content['application/json'].examples)).to.deep.equal([
      'keys_unavailable',
    ]);
  });

  it('object ids: one with an alias is named by the alias only, one without by its id', () => {
    expect(operation('/documented/object-ids')[AUTHORIZATION_EXTENSION].allOf[0].anyOf).to.deep.equal([
      { kind: 'group', name: 'Administrators', matchedBy: 'alias' },
      { kind: 'group', objectId: AUDITORS, matchedBy: 'objectId' },
    ]);
  });

  it("this library's guards add their sets (ALL must hold), and make a route without @Authorized protected", () => {
    const both = operation('/documented/scope-and-guard');
    expect(both[AUTHORIZATION_EXTENSION].allOf.map((set: any) => set.source)).to.deep.equal([
      '@Authorized',
      'requireGroups',
    ]);
    expect(both.description).to.equal(
      '**Authorization:** a valid access token for this API whose caller holds ANY of (@Authorized): scope Reports.Read; and ANY of (requireGroups): group Administrators.',
    );
    expect(both.security).to.deep.equal([
      { [OAUTH2_SCHEME]: [scope('Reports.Read')] },
      { [BEARER_SCHEME]: ['Reports.Read'] },
    ]);
    const guardOnly = operation('/documented/guard-only');
    expect(guardOnly[AUTHORIZATION_EXTENSION]).to.deep.equal({
      tokenRequired: true,
      allOf: [{ source: 'requireRoles', anyOf: [{ kind: 'role', value: 'Tenant.Read.All', claim: 'roles' }] }],
    });
    expect(Object.keys(guardOnly.responses)).to.include.members(['401', '403', '503']);
  });

  it('a custom guard is named as undescribed instead of guessed at: no requirement claimed for a route it alone guards', () => {
    const customOnly = operation('/documented/custom-only');
    expect(customOnly).to.not.have.property('security');
    expect(customOnly[AUTHORIZATION_EXTENSION]).to.deep.equal({
      tokenRequired: false,
      allOf: [],
      undescribed: ['auditTrail'],
    });
    expect(customOnly.description).to.equal(
      '**Authorization:** not described: the route passes through middleware this document cannot describe (auditTrail).',
    );
    expect(Object.keys(customOnly.responses)).to.deep.equal(['200']);

    const withAuthorized = operation('/documented/custom-and-authorized');
    expect(withAuthorized.security).to.deep.equal([{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]);
    expect(withAuthorized.description).to.equal(
      '**Authorization:** any valid access token for this API. It also passes through middleware this document cannot describe (auditTrail), which may refuse more callers.',
    );
  });

  it("class and method lists are merged as routing-controllers merges them (the method's widens the class's)", () => {
    const entries = (path: string) =>
      operation(path)[AUTHORIZATION_EXTENSION].allOf.flatMap((set: any) => set.anyOf.map((entry: any) => entry.value));
    expect(entries('/class-level/inherits')).to.deep.equal(['Class.Role']);
    expect(entries('/class-level/widened')).to.deep.equal(['Class.Role', 'Method.Role']);
  });

  it('routes with parameters are matched at the path routing-controllers-openapi writes', () => {
    expect(operation('/documented/reports/{id}').security).to.deep.equal([
      { [OAUTH2_SCHEME]: [] },
      { [BEARER_SCHEME]: [] },
    ]);
  });

  it('merges into a copy, under a route prefix too, and keeps the responses the document already declares', () => {
    const spec = specOf([DocumentedController], '/api');
    const operations = (spec.paths['/api/documented/any'] as any).get;
    operations.responses['401'] = { description: 'Ours.' };
    const before = JSON.stringify(spec);
    const merged = entraSecurity(appContainer(), { controllers: [DocumentedController], routePrefix: '/api' }).addTo(
      spec,
    );
    expect(JSON.stringify(spec)).to.equal(before);
    const any = merged.paths['/api/documented/any']!.get as any;
    expect(any.responses['401']).to.deep.equal({ description: 'Ours.' });
    expect(any.security).to.deep.equal([{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }]);
    // Twice is the same as once.
    const again = entraSecurity(appContainer(), { controllers: [DocumentedController], routePrefix: '/api' }).addTo(
      merged,
    );
    expect((again.paths['/api/documented/any']!.get as any).description).to.equal(any.description);
  });

  it('describes a requirement kind it does not know (a prefix added later) generically, without failing', () => {
    const context = { groupAliases: {}, oauth2Scope: () => undefined };
    const later = { kind: 'later' as RequirementKind, value: 'x1' };
    expect(describeRequirement(later, context)).to.deep.equal({
      entry: { kind: 'later', value: 'x1' },
      text: 'later x1',
    });
  });

  it('states conditions (authContext:, app:, guest:) apart from the ANY-of entries, since they must all hold', () => {
    const context = { groupAliases: {}, oauth2Scope: () => undefined };
    expect(describeRequirement({ kind: 'authContext', value: 'c2' }, context)).to.deep.equal({
      entry: { kind: 'authContext', value: 'c2', claim: 'acrs' },
      text: 'authentication context c2 (step-up)',
    });
    expect(describeRequirement({ kind: 'app', value: 'only' }, context).text).to.equal('app-only tokens only');
    expect(describeRequirement({ kind: 'guest', value: 'deny' }, context).text).to.equal('guests refused');
  });

  it('a typo in a prefix is still a startup error naming the route, here as in useEntraAuth', () => {
    let problems: readonly string[] = [];
    try {
      entraSecurity(appContainer(), { controllers: [TypoController] });
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigurationError);
      problems = (error as ConfigurationError).problems;
    }
    expect(problems).to.deep.equal([
      '@Authorized on GET /typo/route (TypoController.route): "admin:Reports": unknown prefix "admin:" (use group:, role:, scope:, permission:, authContext:, guest: or app:, or a bare group)',
    ]);
    expect(() => useEntraAuth(new Koa(), appContainer(), { controllers: [TypoController] }))
      .to.throw(ConfigurationError)
      .with.property('problems')
      .that.deep.equals(problems);
  });

  it('holds no secret: neither the client secret nor the certificate path', () => {
    const secret = 'a-client-secret-that-must-never-be-published';
    expect(JSON.stringify(documentOf(appContainer({ clientSecret: secret })))).to.not.contain(secret);

    const folder = mkdtempSync(path.join(tmpdir(), 'entra-openapi-secret-'));
    try {
      const certificate = createSelfSignedCertificate();
      const pem = path.join(folder, 'api-credential.pem');
      writeFileSync(pem, `${certificate.key}\n${certificate.cert}`);
      const text = JSON.stringify(documentOf(appContainer({ clientCertificatePath: pem })));
      expect(text).to.not.contain(folder);
      expect(text).to.not.contain('api-credential');
      expect(text).to.not.contain('PRIVATE KEY');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('without an audience to request (AUTH_MIDDLEWARE_DISABLED), offers the bearer scheme only', () => {
    const container = registerEntraAuth(rootContainer.createChildContainer(), {
      settings: {
        middlewareDisabled: true,
        groupAliases: { Administrators: ADMINISTRATORS },
        groupNamesInTokens: true,
      },
      env: {},
    });
    const document = entraSecurity(container, { controllers: [DocumentedController] }).addTo(
      specOf([DocumentedController]),
    );
    expect(Object.keys(document.components.securitySchemes!)).to.deep.equal([BEARER_SCHEME]);
    expect((document.paths['/documented/any']!.get as any).security).to.deep.equal([{ [BEARER_SCHEME]: [] }]);
  });
});
