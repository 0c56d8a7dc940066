import { getMetadataArgsStorage } from 'routing-controllers';
import { parseRequirement, type Requirement } from '../core/authorization';
import { ConfigurationError } from '../core/errors';

/**
 * Reads an `@Authorized` list into requirements. Lists are validated at startup by
 * {@link validateAuthorizedRoutes}; a list that still fails here (a controller loaded after
 * startup) grants nothing rather than something.
 */
export function requirementsOf(roles: readonly unknown[]): Requirement[] | undefined {
  const requirements: Requirement[] = [];
  for (const role of roles) {
    const parsed = typeof role === 'string' ? parseRequirement(role) : 'not a string';
    if (typeof parsed === 'string') return undefined;
    requirements.push(parsed);
  }
  return requirements;
}

/**
 * Checks every `@Authorized([...])` entry of the given controllers (default: every controller
 * loaded so far), and throws one ConfigurationError naming each bad entry with its route, so that
 * a typo such as `admin:x` fails the start instead of silently denying everyone.
 */
export function validateAuthorizedRoutes(controllers?: readonly Function[]): void {
  const storage = getMetadataArgsStorage();
  const problems: string[] = [];
  for (const handler of storage.responseHandlers) {
    if (handler.type !== 'authorized') continue;
    if (controllers && !controllers.includes(handler.target)) continue;
    for (const role of ([] as unknown[]).concat(handler.value ?? [])) {
      const parsed = typeof role === 'string' ? parseRequirement(role) : `${String(role)}: not a string`;
      if (typeof parsed === 'string') {
        problems.push(`@Authorized on ${describeRoute(handler.target, handler.method)}: ${parsed}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
}

function describeRoute(target: Function, method: string | undefined): string {
  const storage = getMetadataArgsStorage();
  const prefix = storage.controllers.find((controller) => controller.target === target)?.route ?? '';
  const actions = storage.actions.filter(
    (action) => action.target === target && (method === undefined || action.method === method),
  );
  const routes = actions.map((action) => `${action.type.toUpperCase()} ${prefix}${typeof action.route === 'string' ? action.route : String(action.route ?? '')}`);
  const where = method === undefined ? target.name : `${target.name}.${method}`;
  return routes.length > 0 ? `${routes.join(', ')} (${where})` : where;
}
