import { getMetadataArgsStorage } from 'routing-controllers';
import { contradictionIn, parseRequirement, type Requirement } from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import { isKnownGroup } from '../core/authorization/group-aliases';
import type { Settings } from '../core/settings/settings';
import { describeVariables } from '../core/settings/settings-table';
import { guardRequirementsOf } from './guard-requirements';

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
 * With the settings, group names are checked too (in `@Authorized` and in `requireGroups` guards):
 * a name that is neither an object id nor in `GROUP_ALIASES` can never match an object-id claim,
 * unless the app declares `GROUP_NAMES_IN_TOKENS`.
 */
export function validateAuthorizedRoutes(controllers?: readonly Function[], settings?: Settings): void {
  const storage = getMetadataArgsStorage();
  const problems: string[] = [];
  for (const handler of storage.responseHandlers) {
    if (handler.type !== 'authorized') continue;
    if (controllers && !controllers.includes(handler.target)) continue;
    const parsedList: Requirement[] = [];
    for (const role of ([] as unknown[]).concat(handler.value ?? [])) {
      const parsed = typeof role === 'string' ? parseRequirement(role) : `${String(role)}: not a string`;
      if (typeof parsed === 'string') {
        problems.push(`@Authorized on ${describeRoute(handler.target, handler.method)}: ${parsed}`);
        continue;
      }
      parsedList.push(parsed);
      if (settings && isUnknownGroupName(parsed, settings)) {
        problems.push(
          `@Authorized on ${describeRoute(handler.target, handler.method)}: ${unknownGroupProblem(parsed.value)}`,
        );
      }
    }
    const contradiction = contradictionIn(parsedList);
    if (contradiction) {
      problems.push(
        `@Authorized on ${describeRoute(handler.target, handler.method)}: ${contradiction}, so it admits nobody`,
      );
    }
  }
  for (const use of settings ? storage.uses : []) {
    if (controllers && !controllers.includes(use.target)) continue;
    for (const requirement of guardRequirementsOf(use.middleware)) {
      if (isUnknownGroupName(requirement, settings!)) {
        problems.push(
          `requireGroups on ${describeRoute(use.target, use.method)}: ${unknownGroupProblem(requirement.value)}`,
        );
      }
    }
  }
  problems.push(...droppedByInheritance(controllers ?? storage.controllers.map((controller) => controller.target)));
  if (problems.length > 0) throw new ConfigurationError(problems);
}

/**
 * routing-controllers (0.11) copies the routes a controller inherits from a base class, but reads
 * their `@Authorized` and `@UseBefore`/`@UseAfter` from the controller itself only: a base class's
 * protection is dropped, silently, and the inherited route serves anyone. Each such place is a
 * startup error naming the route, unless the controller repeats that kind of decorator itself.
 */
function droppedByInheritance(controllers: readonly Function[]): string[] {
  const storage = getMetadataArgsStorage();
  type Decorated = { readonly target: Function; readonly method?: string };
  const kinds: ReadonlyArray<readonly [string, readonly Decorated[]]> = [
    ['@Authorized', storage.responseHandlers.filter((handler) => handler.type === 'authorized')],
    ['@UseBefore/@UseAfter', storage.uses],
  ];
  const appliesTo = (entry: Decorated, target: Function, method: string) =>
    entry.target === target && (entry.method === undefined || entry.method === method);
  const problems: string[] = [];
  for (const controller of controllers) {
    const routed = new Set(
      storage.actions.filter((action) => action.target === controller).map((action) => action.method),
    );
    const prefix = storage.controllers.find((entry) => entry.target === controller)?.route ?? '';
    for (
      let ancestor = Object.getPrototypeOf(controller);
      typeof ancestor === 'function' && ancestor !== Function.prototype;
      ancestor = Object.getPrototypeOf(ancestor)
    ) {
      for (const action of storage.actions.filter((entry) => entry.target === ancestor && !routed.has(entry.method))) {
        routed.add(action.method);
        const route = `${action.type.toUpperCase()} ${prefix}${typeof action.route === 'string' ? action.route : String(action.route ?? '')}`;
        for (const [decorator, entries] of kinds) {
          const dropped = entries.some((entry) => appliesTo(entry, ancestor, action.method));
          const repeated = entries.some((entry) => appliesTo(entry, controller, action.method));
          if (dropped && !repeated) {
            problems.push(
              `${decorator} of ${ancestor.name} is not applied to ${route} (${controller.name}.${action.method}, inherited from ${ancestor.name}): routing-controllers reads these decorators from the registered controller only, so the route would be served without them; repeat them on ${controller.name}`,
            );
          }
        }
      }
    }
  }
  return problems;
}

function isUnknownGroupName(requirement: Requirement, settings: Settings): boolean {
  return (
    requirement.kind === 'group' &&
    !settings.groupNamesInTokens &&
    !isKnownGroup(requirement.value, settings.groupAliases)
  );
}

function unknownGroupProblem(name: string): string {
  return `group "${name}" is neither a group object id nor a name in ${describeVariables('groupAliases')}; tokens carry object ids, so it would deny everyone (set ${describeVariables('groupNamesInTokens')}=true if your tokens or groups provider carry names)`;
}

function describeRoute(target: Function, method: string | undefined): string {
  const storage = getMetadataArgsStorage();
  const prefix = storage.controllers.find((controller) => controller.target === target)?.route ?? '';
  const actions = storage.actions.filter(
    (action) => action.target === target && (method === undefined || action.method === method),
  );
  const routes = actions.map(
    (action) =>
      `${action.type.toUpperCase()} ${prefix}${typeof action.route === 'string' ? action.route : String(action.route ?? '')}`,
  );
  const where = method === undefined ? target.name : `${target.name}.${method}`;
  return routes.length > 0 ? `${routes.join(', ')} (${where})` : where;
}
