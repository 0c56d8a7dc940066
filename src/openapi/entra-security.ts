import type { DependencyContainer } from 'tsyringe';
import { Settings } from '../core/settings/settings';
import { validateAuthorizedRoutes } from '../routing-controllers/authorized-routes';
import type { EntraAuthRoutingOptions } from '../routing-controllers/use-entra-auth';
import { ERROR_SCHEMA, errorBodySchema, errorResponses } from './error-responses';
import { authorizationExtension, authorizationLine, type DescriptionContext } from './requirement-description';
import { routeRequirements, type RouteRequirements } from '../routing-controllers/route-requirements';
import { entraAuthority, oauth2ScopeOf, securityRequirements, securitySchemes } from './security-schemes';

/** The vendor extension on each operation stating what it requires, ANY-of per set, as the checker decides. */
export const AUTHORIZATION_EXTENSION = 'x-entra-authorization';

/** The same options `useEntraAuth` takes; only the controllers and the route prefix are read. */
export type EntraSecurityOptions = Pick<EntraAuthRoutingOptions, 'controllers' | 'routePrefix'>;

/** An OpenAPI document (routing-controllers-openapi's, or any 3.x one): only the parts merged into are read. */
export interface OpenApiDocumentInput {
  readonly openapi: string;
  readonly paths?: object;
  readonly components?: object;
}

/** The merged document: OpenAPI 3.1. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [member: string]: unknown;
}

/** What one route of the app gets in the document. */
export interface OperationSecurity {
  readonly operationId: string;
  readonly httpMethod: string;
  readonly path: string | undefined;
  /**
   * Alternatives (any one suffices); `[]` for an open route; `undefined` when the route passes
   * only through middleware this library cannot describe (then no requirement is claimed).
   */
  readonly security: ReadonlyArray<Record<string, string[]>> | undefined;
  /** 401 / 403 / 503 of a protected route; none for an open one. */
  readonly responses: Readonly<Record<string, unknown>>;
  /** The `x-entra-authorization` value; `undefined` for an open route. */
  readonly extension: Readonly<Record<string, unknown>> | undefined;
  /** The sentence appended to the description; `undefined` for an open route. */
  readonly descriptionLine: string | undefined;
}

export interface EntraSecurity {
  /** `components.securitySchemes`: the OAuth 2.0 scheme (if the API has an audience to request) and the bearer scheme. */
  readonly securitySchemes: Readonly<Record<string, unknown>>;
  /** `components.schemas`: the RFC 6750 error body. */
  readonly schemas: Readonly<Record<string, unknown>>;
  readonly operations: readonly OperationSecurity[];
  /**
   * A copy of `document` (never changed itself) as OpenAPI 3.1 with the schemes, the error schema
   * and, on each operation of an app route (matched by method and path, else by operationId), its
   * `security`, `x-entra-authorization`, description line and error responses. Responses the
   * document already declares for a status are kept.
   */
  addTo<Document extends OpenApiDocumentInput>(document: Document): OpenApiDocument;
}

/**
 * The security of an app's OpenAPI document (docs/design.md#openapi), read from the same
 * routing-controllers metadata and settings the checker uses. It runs the startup check of `useEntraAuth` first, so an entry with
 * an unknown prefix (`admin:x`) or an unresolvable group name fails here too, naming its route.
 */
export function entraSecurity(container: DependencyContainer, options: EntraSecurityOptions = {}): EntraSecurity {
  const settings = container.resolve(Settings);
  const given = options.controllers ?? [];
  // Controllers given as glob paths are loaded by useKoaServer: then every loaded one is the app's.
  const controllers = given.some((controller) => typeof controller === 'string')
    ? undefined
    : given.filter((controller): controller is Function => typeof controller === 'function');
  validateAuthorizedRoutes(controllers, settings);

  const routes = routeRequirements(controllers, options.routePrefix ?? '');
  const authority = entraAuthority(settings);
  const context: DescriptionContext = {
    groupAliases: settings.groupAliases,
    oauth2Scope: (scope) => oauth2ScopeOf(authority, scope),
  };
  const scopes = [
    ...new Set(
      routes.flatMap((route) =>
        route.allOf.flatMap((set) => set.anyOf.filter(({ kind }) => kind === 'scope').map(({ value }) => value)),
      ),
    ),
  ].sort();
  const operations = routes.map((route) =>
    operationSecurity(route, context, (allOf) => securityRequirements(authority, allOf)),
  );
  const schemes = securitySchemes(authority, scopes);
  const schemas = { [ERROR_SCHEMA]: errorBodySchema() };
  return {
    securitySchemes: schemes,
    schemas,
    operations,
    addTo: (document) => mergeInto(document, schemes, schemas, operations),
  };
}

function operationSecurity(
  route: RouteRequirements,
  context: DescriptionContext,
  requirements: (allOf: RouteRequirements['allOf']) => Array<Record<string, string[]>>,
): OperationSecurity {
  const { operationId, httpMethod, path } = route;
  if (!route.tokenRequired && route.undescribed.length === 0) {
    return {
      operationId,
      httpMethod,
      path,
      security: [],
      responses: {},
      extension: undefined,
      descriptionLine: undefined,
    };
  }
  return {
    operationId,
    httpMethod,
    path,
    security: route.tokenRequired ? requirements(route.allOf) : undefined,
    responses: route.tokenRequired ? errorResponses(route.allOf) : {},
    extension: authorizationExtension(route, context),
    descriptionLine: authorizationLine(route, context),
  };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function mergeInto(
  input: OpenApiDocumentInput,
  schemes: Readonly<Record<string, unknown>>,
  schemas: Readonly<Record<string, unknown>>,
  operations: readonly OperationSecurity[],
): OpenApiDocument {
  const document = structuredClone(input) as unknown as OpenApiDocument;
  document.openapi = '3.1.0';
  document.paths ??= {};
  const components = (document.components ??= {});
  components.securitySchemes = { ...components.securitySchemes, ...schemes };
  components.schemas = { ...components.schemas, ...schemas };

  const byRoute = new Map(operations.map((operation) => [`${operation.httpMethod} ${operation.path}`, operation]));
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (typeof operation !== 'object' || operation === null) continue;
      const security =
        byRoute.get(`${method} ${path}`) ??
        (typeof operation.operationId === 'string' ? byId.get(operation.operationId) : undefined);
      if (security) applyTo(operation, security);
    }
  }
  return document;
}

function applyTo(operation: Record<string, unknown>, security: OperationSecurity): void {
  if (security.security !== undefined) operation.security = security.security.map((entry) => ({ ...entry }));
  if (security.extension !== undefined) operation[AUTHORIZATION_EXTENSION] = structuredClone(security.extension);
  const line = security.descriptionLine;
  if (line !== undefined) {
    const description = typeof operation.description === 'string' ? operation.description : '';
    if (!description.includes(line)) operation.description = description ? `${description}\n\n${line}` : line;
  }
  const responses = (operation.responses ??= {}) as Record<string, unknown>;
  for (const [status, response] of Object.entries(security.responses)) {
    if (!(status in responses)) responses[status] = structuredClone(response);
  }
}
