import { ActionMetadata, getMetadataArgsStorage } from 'routing-controllers';
import { isGrant, type Requirement } from '../core/authorization/authorization';
import { requirementsOf } from './authorized-routes';
import { describedGuard } from './guard-requirements';

/** What one `@Authorized` list, or one guard, requires: ANY of its grants, and ALL of its conditions. */
export interface RequirementSet {
  /** Where it comes from: `@Authorized`, or the guard's factory (`requireGroups`). */
  readonly source: string;
  /** Grants (groups, `role:`, `scope:`, `permission:`); none means any verified caller. */
  readonly anyOf: readonly Requirement[];
  /**
   * What the caller must also meet, each one: `authContext:` and `app:` conditions, and the
   * set's `guest:` decision (docs/design.md#authorization, A10).
   */
  readonly conditions: readonly Requirement[];
}

/** One route as routing-controllers stores it: the declaring class (a base class for an inherited route) and method. */
export type RouteAction = ReturnType<typeof getMetadataArgsStorage>['actions'][number];

/** What one route of a registered controller requires, read as routing-controllers applies it. */
export interface RouteRequirements {
  /** The registered controller that serves the route. */
  readonly controller: Function;
  /** routing-controllers' metadata of the route (for an inherited route, the base class's). */
  readonly action: RouteAction;
  /** `ControllerName.method` of the registered controller. */
  readonly operationId: string;
  /** Lower case, as OpenAPI path items name operations (`get`, `post`…). */
  readonly httpMethod: string;
  /**
   * The path as routing-controllers-openapi writes it (`/users/{id}`), route prefix included;
   * `undefined` for a route given as a regular expression.
   */
  readonly path: string | undefined;
  /**
   * The route as routing-controllers hands it to the router (`/users/:id(\\d+)`, a regular
   * expression, `/items` for an `@Get()` of `@JsonController('/items')`), route prefix included.
   */
  readonly route: string | RegExp;
  /** An `@Authorized` or one of this library's guards: no verified caller, no access. */
  readonly tokenRequired: boolean;
  /** Each set must hold; an `@Authorized()` or `requireUser()` adds no set (any verified caller). */
  readonly allOf: readonly RequirementSet[];
  /** `@UseBefore` middleware this library did not make: what it requires is unknown here. */
  readonly undescribed: readonly string[];
}

interface Decorated {
  readonly target: Function;
  readonly method?: string;
}

/**
 * The requirements of every route of the given controllers (default: every controller loaded),
 * merged the way routing-controllers 0.11 merges them when it registers the routes: the class's
 * `@Authorized` list followed by the method's, either one making the route protected; the
 * controller's own `@UseBefore` middleware, then the method's; routes inherited from a base class
 * read with the registered controller's decorators only (what the checker is handed).
 */
export function routeRequirements(controllers?: readonly Function[], routePrefix = ''): RouteRequirements[] {
  const storage = getMetadataArgsStorage();
  const registered = controllers ?? storage.controllers.map((controller) => controller.target);
  const authorizedOf = (target: Function, method: string | undefined) =>
    storage.responseHandlers.find(
      (handler) => handler.type === 'authorized' && handler.target === target && handler.method === method,
    );
  const usesOf = (target: Function, method: string | undefined) =>
    storage.uses.filter((use) => use.target === target && use.method === method && !use.afterAction);

  return registered.flatMap((controller) => {
    const controllerRoute = storage.controllers.find((entry) => entry.target === controller)?.route ?? '';
    const classAuthorized = authorizedOf(controller, undefined);
    return ownAndInheritedActions(controller).map((action): RouteRequirements => {
      const methodAuthorized = authorizedOf(controller, action.method);
      const allOf: RequirementSet[] = [];
      const undescribed: string[] = [];
      // A set's grants are ANY-of; its conditions hold besides them, so they are listed apart.
      const addSet = (source: string, requirements: readonly Requirement[]): void => {
        if (requirements.length === 0) return;
        const anyOf = requirements.filter(isGrant);
        allOf.push({ source, anyOf, conditions: requirements.filter((requirement) => !isGrant(requirement)) });
      };
      let tokenRequired = classAuthorized !== undefined || methodAuthorized !== undefined;
      if (tokenRequired) {
        const roles = ([] as unknown[]).concat(classAuthorized?.value ?? [], methodAuthorized?.value ?? []);
        const anyOf = requirementsOf(roles);
        // Unreadable lists fail entraSecurity's startup check first; one that got past it grants
        // nothing (docs/design.md#authorization, A8), which no set of entries can state.
        if (anyOf === undefined) undescribed.push('an @Authorized list this library cannot read');
        else addSet('@Authorized', anyOf);
      }
      for (const use of [...usesOf(controller, undefined), ...usesOf(controller, action.method)]) {
        const guard = describedGuard(use.middleware);
        if (!guard) {
          undescribed.push(use.middleware.name || 'an anonymous middleware');
          continue;
        }
        tokenRequired = true;
        addSet(guard.name, guard.requirements);
      }
      const route = typeof action.route === 'string' ? action.route : undefined;
      return {
        controller,
        action,
        operationId: `${controller.name}.${action.method}`,
        httpMethod: action.type.toLowerCase(),
        path: route === undefined ? undefined : toOpenApiPath(`${routePrefix}${controllerRoute}${route}`),
        route: fullRoute(routePrefix, controllerRoute, action.route),
        tokenRequired,
        allOf,
        undescribed,
      };
    });
  });
}

/** The controller's routes and those it inherits (the nearest class's wins), as routing-controllers lists them. */
function ownAndInheritedActions(controller: Function) {
  const storage = getMetadataArgsStorage();
  const seen = new Set<string>();
  const actions: RouteAction[] = [];
  for (
    let target = controller;
    typeof target === 'function' && target !== Function.prototype;
    target = Object.getPrototypeOf(target)
  ) {
    for (const action of storage.actions.filter((entry: Decorated) => entry.target === target)) {
      if (seen.has(action.method)) continue;
      seen.add(action.method);
      actions.push(action);
    }
  }
  return actions;
}

/** What routing-controllers registers: `ActionMetadata.buildFullRoute`, then the driver's route prefix. */
function fullRoute(
  routePrefix: string,
  controllerRoute: string,
  actionRoute: string | RegExp | undefined,
): string | RegExp {
  const own =
    actionRoute instanceof RegExp
      ? controllerRoute
        ? ActionMetadata.appendBaseRoute(controllerRoute, actionRoute)
        : actionRoute
      : `${controllerRoute}${typeof actionRoute === 'string' ? actionRoute : ''}`;
  return ActionMetadata.appendBaseRoute(routePrefix, own);
}

/** `/users/:id(\\d+)?` → `/users/{id}`, as routing-controllers-openapi converts Express paths. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)(?:\((?:\\.|[^\\()])*\))?[?*+]?/g, '{$1}');
}
