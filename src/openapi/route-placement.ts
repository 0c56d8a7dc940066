import { createRequire } from 'node:module';
import { getMetadataArgsStorage } from 'routing-controllers';
import type * as RoutingControllersOpenApi from 'routing-controllers-openapi';
import type { IRoute } from 'routing-controllers-openapi';
import { ConfigurationError } from '../core/errors';
import type { RouteRequirements } from '../routing-controllers/route-requirements';

/** Where routing-controllers-openapi writes a route in its document. */
export interface RoutePlacement {
  /** The OpenAPI path (`/files/{0}`), route prefix included. */
  readonly path: string;
  /** Lower case, as the path item names the operation. */
  readonly httpMethod: string;
  /** After the route's `@OpenAPI` decorators; `undefined` when one of them removes it. */
  readonly operationId: string | undefined;
  /** How errors name the route: `GET /v1/files/(.*) (FilesController.get)`. */
  readonly name: string;
  /** Declared on a base class: routing-controllers-openapi 5 leaves such a route out of its document. */
  readonly inherited: boolean;
}

/**
 * Places each route with routing-controllers-openapi's own functions (`parseRoutes`,
 * `getFullPath`, `getOperation`), so its path and operation id are the ones that package writes:
 * its path conversion (`(.*)` → `{0}`) and any `@OpenAPI({ operationId })` included. An
 * inherited route is placed where it is served, under the registered controller's prefix.
 */
export function placeRoutes(routes: readonly RouteRequirements[], routePrefix: string): RoutePlacement[] {
  const openapi = routingControllersOpenApi();
  const storage = getMetadataArgsStorage();
  const parsed = new Map(openapi.parseRoutes(storage, { routePrefix }).map((route) => [route.action, route]));
  return routes.map(({ controller, action }) => {
    const route: IRoute = {
      ...parsed.get(action)!,
      // A class given without @Controller/@JsonController is not served; it is placed at its own routes.
      controller: storage.controllers.find((entry) => entry.target === controller) ?? {
        target: controller,
        route: '',
        type: 'default',
        options: {},
      },
    };
    const operationId: unknown = openapi.getOperation(route, {}).operationId;
    const inherited = action.target !== controller;
    const declared = inherited ? `, inherited from ${action.target.name}` : '';
    return {
      path: openapi.getFullPath(route),
      httpMethod: action.type.toLowerCase(),
      operationId: typeof operationId === 'string' ? operationId : undefined,
      name: `${action.type.toUpperCase()} ${String(openapi.getFullExpressPath(route))} (${controller.name}.${action.method}${declared})`,
      inherited,
    };
  });
}

/** The optional peer, loaded only by `entraSecurity`: the user's copy, whose `@OpenAPI` metadata it reads. */
function routingControllersOpenApi(): typeof RoutingControllersOpenApi {
  try {
    return createRequire(__filename)('routing-controllers-openapi') as typeof RoutingControllersOpenApi;
  } catch {
    throw new ConfigurationError([
      'entraSecurity: the routing-controllers-openapi package is not installed (npm install routing-controllers-openapi)',
    ]);
  }
}
