import type { DependencyContainer } from 'tsyringe';
import { ConfigurationError } from '../core/errors';
import { Settings } from '../core/settings/settings';
import { validateAuthorizedRoutes } from '../routing-controllers/authorized-routes';
import type { EntraAuthRoutingOptions } from '../routing-controllers/use-entra-auth';
import { ERROR_SCHEMA, errorBodySchema, errorResponses } from './error-responses';
import { authorizationExtension, authorizationLine, type DescriptionContext } from './requirement-description';
import { routeRequirements, type RouteRequirements } from '../routing-controllers/route-requirements';
import { placeRoutes, type RoutePlacement } from './route-placement';
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
  /** As routing-controllers-openapi writes it, `@OpenAPI` decorators applied; `undefined` when one removes it. */
  readonly operationId: string | undefined;
  readonly httpMethod: string;
  /** As routing-controllers-openapi writes it (`/files/{0}`), route prefix included. */
  readonly path: string;
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
   * and, on the operation of each app route (the one at its path and method with its operation id,
   * as routing-controllers-openapi writes them), its `security`, `x-entra-authorization`,
   * description line and error responses. Responses the document already declares for a status are
   * kept. An operation that is no app route is marked as not described. Throws a
   * `ConfigurationError` naming the routes when an app route has no operation in the document, or
   * when routes that require different things share one operation.
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

  const routePrefix = options.routePrefix ?? '';
  const routes = routeRequirements(controllers, routePrefix);
  const placements = placeRoutes(routes, routePrefix);
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
  const placed = routes.map((route, index) => ({
    placement: placements[index]!,
    security: operationSecurity(route, placements[index]!, context, (allOf) => securityRequirements(authority, allOf)),
  }));
  const schemes = securitySchemes(authority, scopes);
  const schemas = { [ERROR_SCHEMA]: errorBodySchema() };
  return {
    securitySchemes: schemes,
    schemas,
    operations: placed.map(({ security }) => security),
    addTo: (document) => mergeInto(document, schemes, schemas, placed),
  };
}

function operationSecurity(
  route: RouteRequirements,
  { operationId, httpMethod, path }: RoutePlacement,
  context: DescriptionContext,
  requirements: (allOf: RouteRequirements['allOf']) => Array<Record<string, string[]>>,
): OperationSecurity {
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

interface PlacedRoute {
  readonly placement: RoutePlacement;
  readonly security: OperationSecurity;
}

function mergeInto(
  input: OpenApiDocumentInput,
  schemes: Readonly<Record<string, unknown>>,
  schemas: Readonly<Record<string, unknown>>,
  routes: readonly PlacedRoute[],
): OpenApiDocument {
  const document = structuredClone(input) as unknown as OpenApiDocument;
  document.openapi = '3.1.0';
  document.paths ??= {};
  const components = (document.components ??= {});
  components.securitySchemes = { ...components.securitySchemes, ...schemes };
  components.schemas = { ...components.schemas, ...schemas };

  const described = describeRoutes(document.paths, routes);
  for (const item of Object.values(document.paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isObject(operation) && !described.has(operation)) applyTo(operation, NOT_AN_APP_ROUTE);
    }
  }
  return document;
}

/**
 * Gives each route's security to its operation: the one at the path and method where
 * routing-controllers-openapi writes that very route, with its operation id. No fallback by
 * operation id or by path alone, which would lend an operation another route's security. Returns
 * the operations described; throws, naming the routes, where that cannot be done.
 */
function describeRoutes(paths: OpenApiDocument['paths'], routes: readonly PlacedRoute[]): Set<unknown> {
  const problems: string[] = [];
  const described = new Set<unknown>();
  const byOperation = groupBy(routes, ({ placement: { operationId, httpMethod, path } }) =>
    JSON.stringify([operationId, httpMethod, path]),
  );
  for (const sharing of byOperation) {
    const [{ placement, security }] = sharing as [PlacedRoute, ...PlacedRoute[]];
    const where = `${placement.operationId ?? 'no operationId'} at ${placement.httpMethod.toUpperCase()} ${placement.path}`;
    const names = sharing.map((route) => route.placement.name).join(' and ');
    if (new Set(sharing.map((route) => JSON.stringify(route.security))).size > 1) {
      problems.push(
        `addTo: ${names} are one operation of the document (${where}) but require different things: the document cannot say which of them answers`,
      );
      continue;
    }
    const item = Object.hasOwn(paths, placement.path) ? paths[placement.path] : undefined;
    const operation = isObject(item) ? item[placement.httpMethod] : undefined;
    if (!isObject(operation) || operation.operationId !== placement.operationId) {
      const hint = placement.inherited
        ? 'routing-controllers-openapi leaves out routes a controller inherits: add it to the document'
        : 'build the document with the routePrefix and controllers given to entraSecurity';
      problems.push(`addTo: ${names} has no operation in the document (${where}): ${hint}`);
      continue;
    }
    applyTo(operation, security);
    described.add(operation);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return described;
}

/**
 * What an operation that is no route of the given controllers gets (a handler outside
 * routing-controllers, a controller not given to entraSecurity): nothing claimed, said so.
 */
const NOT_AN_APP_ROUTE: Described = {
  security: undefined,
  responses: {},
  extension: { tokenRequired: false, allOf: [], undescribed: ['no route of the controllers given to entraSecurity'] },
  descriptionLine:
    '**Authorization:** not described: this operation is no route of the controllers given to entraSecurity.',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function groupBy<Item>(items: readonly Item[], keyOf: (item: Item) => string): Item[][] {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

/** What `addTo` writes on an operation. */
type Described = Pick<OperationSecurity, 'security' | 'responses' | 'extension' | 'descriptionLine'>;

function applyTo(operation: Record<string, unknown>, security: Described): void {
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
