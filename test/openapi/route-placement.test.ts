import { expect } from 'chai';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ConfigurationError, registerEntraAuth } from '../../src';
import { AUTHORIZATION_EXTENSION, BEARER_SCHEME, entraSecurity, OAUTH2_SCHEME } from '../../src/openapi';
import { expectValidOpenApi31, specOf } from '../support/openapi';
import { API, AUTHORITY, TENANT } from './documented-controllers';
import {
  CUSTOM_OPERATION_ID,
  InheritingController,
  NO_PATH,
  ONE_OPERATION_TWO_ROUTES,
  PROTECTED_V1,
  PROTECTED_V2,
} from './same-name-controllers';

function appContainer(): DependencyContainer {
  return registerEntraAuth(rootContainer.createChildContainer(), {
    settings: {
      tenantId: TENANT,
      audiences: [API],
      jwksUrlTemplate: `${AUTHORITY}/{}/v2.0/.well-known/openid-configuration`,
    },
    env: {},
  });
}

/** What `useEntraAuth` would be given, documented as routing-controllers-openapi builds it. */
function documentOf(controllers: Function[]) {
  return entraSecurity(appContainer(), { controllers }).addTo(specOf(controllers));
}

/** The problems of the ConfigurationError `run` throws. */
function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  expect.fail('no ConfigurationError was thrown');
}

const ANY_TOKEN = [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];

describe('OpenAPI: each route is placed on its own operation, where routing-controllers-openapi writes it', () => {
  it('a protected (.*) route keeps its security when an open controller of the same name serves the same path shape', async () => {
    const document = documentOf(PROTECTED_V1);
    const v1 = document.paths['/v1/files/{0}']!.get as Record<string, any>;
    const v2 = document.paths['/v2/files/{0}']!.get as Record<string, any>;
    expect([v1.operationId, v2.operationId]).to.deep.equal(['FilesController.get', 'FilesController.get']);
    expect(v1.security).to.deep.equal(ANY_TOKEN);
    expect(v1[AUTHORIZATION_EXTENSION].allOf[0].anyOf).to.deep.equal([
      { kind: 'role', value: 'Files.Admin', claim: 'roles' },
    ]);
    expect(Object.keys(v1.responses)).to.include.members(['401', '403', '503']);
    expect(v2.security).to.deep.equal([]);
    expect(v2).to.not.have.property(AUTHORIZATION_EXTENSION);
    await expectValidOpenApi31(document);
  });

  it('an open (.*) route is not documented as protected when a protected controller of the same name comes after it', () => {
    const document = documentOf(PROTECTED_V2);
    const v1 = document.paths['/v1/files/{0}']!.get as Record<string, any>;
    const v2 = document.paths['/v2/files/{0}']!.get as Record<string, any>;
    expect(v1.security).to.deep.equal([]);
    expect(v1).to.not.have.property(AUTHORIZATION_EXTENSION);
    expect(Object.keys(v1.responses)).to.deep.equal(['200']);
    expect(v2.security).to.deep.equal(ANY_TOKEN);
  });

  it('routes without a path of their own (@Get()) in controllers of the same name each keep their own security', () => {
    const document = documentOf(NO_PATH);
    expect((document.paths['/v1/listing']!.get as Record<string, any>).security).to.deep.equal(ANY_TOKEN);
    expect((document.paths['/v2/listing']!.get as Record<string, any>).security).to.deep.equal([]);
  });

  it('a protected (.*) route whose operationId @OpenAPI sets is still documented as protected', () => {
    const sec = entraSecurity(appContainer(), { controllers: CUSTOM_OPERATION_ID });
    const operation = sec.addTo(specOf(CUSTOM_OPERATION_ID)).paths['/custom/files/{0}']!.get as Record<string, any>;
    expect(operation.operationId).to.equal('downloadFile');
    expect(operation.security).to.deep.equal(ANY_TOKEN);
    expect(operation[AUTHORIZATION_EXTENSION].tokenRequired).to.equal(true);
    expect(sec.operations.map(({ operationId, path }) => `${operationId} ${path}`)).to.deep.equal([
      'downloadFile /custom/files/{0}',
    ]);
  });

  it('refuses a route the document has elsewhere (a route prefix given to one side only), naming every such route', () => {
    const sec = entraSecurity(appContainer(), { controllers: PROTECTED_V1 });
    expect(problemsOf(() => sec.addTo(specOf(PROTECTED_V1, '/api')))).to.deep.equal([
      'addTo: GET /v1/files/(.*) (FilesController.get) has no operation in the document (FilesController.get at GET /v1/files/{0}): build the document with the routePrefix and controllers given to entraSecurity',
      'addTo: GET /v2/files/(.*) (FilesController.get) has no operation in the document (FilesController.get at GET /v2/files/{0}): build the document with the routePrefix and controllers given to entraSecurity',
    ]);
  });

  it('refuses an operation that two routes requiring different things answer, naming both', () => {
    const sec = entraSecurity(appContainer(), { controllers: ONE_OPERATION_TWO_ROUTES });
    expect(problemsOf(() => sec.addTo(specOf(ONE_OPERATION_TWO_ROUTES)))).to.deep.equal([
      'addTo: GET /shared/item (SharedController.item) and GET /shared/item (SharedController.item) are one operation of the document (SharedController.item at GET /shared/item) but require different things: the document cannot say which of them answers',
    ]);
  });

  it('reports an inherited route, which routing-controllers-openapi leaves out, and places it once its operation is added', () => {
    const sec = entraSecurity(appContainer(), { controllers: [InheritingController] });
    const spec = specOf([InheritingController]);
    expect(spec.paths).to.deep.equal({});
    expect(problemsOf(() => sec.addTo(spec))).to.deep.equal([
      'addTo: GET /inherited/all (InheritingController.all, inherited from ListingBase) has no operation in the document (ListingBase.all at GET /inherited/all): routing-controllers-openapi leaves out routes a controller inherits: add it to the document',
    ]);
    const added = { ...spec, paths: { '/inherited/all': { get: { operationId: 'ListingBase.all', responses: {} } } } };
    expect((sec.addTo(added).paths['/inherited/all']!.get as Record<string, any>).security).to.deep.equal(ANY_TOKEN);
  });

  it('an operation that is no route of the given controllers claims nothing and says it is not described', async () => {
    const spec = specOf(PROTECTED_V1);
    const health = { operationId: 'health', responses: { '200': { description: 'Up.' } } };
    const document = entraSecurity(appContainer(), { controllers: PROTECTED_V1 }).addTo({
      ...spec,
      paths: { ...spec.paths, '/health': { get: health } },
    });
    const operation = document.paths['/health']!.get as Record<string, any>;
    expect(operation).to.not.have.property('security');
    expect(operation[AUTHORIZATION_EXTENSION]).to.deep.equal({
      tokenRequired: false,
      allOf: [],
      undescribed: ['no route of the controllers given to entraSecurity'],
    });
    expect(operation.description).to.equal(
      '**Authorization:** not described: this operation is no route of the controllers given to entraSecurity.',
    );
    expect(Object.keys(operation.responses)).to.deep.equal(['200']);
    await expectValidOpenApi31(document);
  });
});
