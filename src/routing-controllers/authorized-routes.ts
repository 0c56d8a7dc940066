import { getMetadataArgsStorage } from 'routing-controllers';
import { contradictionIn, parseRequirement, type Requirement } from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import { isKnownGroup } from '../core/authorization/group-aliases';
import type { Settings } from '../core/settings/settings';
import { describeVariables } from '../core/settings/settings-table';
import { describedGuard, guardRequirementsOf } from './guard-requirements';

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
  problems.push(...guardsAfterTheHandler(controllers));
  problems.push(...droppedByInheritance(controllers ?? storage.controllers.map((controller) => controller.target)));
  if (problems.length > 0) throw new ConfigurationError(problems);
}

/**
 * routing-controllers (0.11) reads `@Authorized` and `@UseBefore`/`@UseAfter` from the registered
 * controller only: a base class's (class-level, or on a method the controller routes, whether it
 * inherits the route or declares its own) is dropped, silently, and the route serves anyone. Each
 * such place is a startup error naming the route, unless the controller repeats that kind of
 * decorator itself.
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
    const ancestors = ancestorsOf(controller);
    for (const route of routesOf(controller, ancestors)) {
      for (const [decorator, entries] of kinds) {
        if (entries.some((entry) => appliesTo(entry, controller, route.method))) continue;
        for (const ancestor of ancestors.filter((candidate) =>
          entries.some((entry) => appliesTo(entry, candidate, route.method)),
        )) {
          problems.push(
            `${decorator} of ${ancestor.name} is not applied to ${route.description} (${controller.name}.${route.method}): routing-controllers reads these decorators from the registered controller only, so the route would be served without them; repeat them on ${controller.name}`,
          );
        }
      }
    }
  }
  return problems;
}

/** The classes a controller extends, nearest first. */
function ancestorsOf(controller: Function): Function[] {
  const ancestors: Function[] = [];
  for (
    let ancestor = Object.getPrototypeOf(controller);
    typeof ancestor === 'function' && ancestor !== Function.prototype;
    ancestor = Object.getPrototypeOf(ancestor)
  ) {
    ancestors.push(ancestor);
  }
  return ancestors;
}

/** The routes routing-controllers serves for a controller: its own, then those it inherits (nearest declaration wins). */
function routesOf(
  controller: Function,
  ancestors: readonly Function[],
): Array<{ method: string; description: string }> {
  const storage = getMetadataArgsStorage();
  const prefix = storage.controllers.find((entry) => entry.target === controller)?.route ?? '';
  const routes = new Map<string, string>();
  for (const target of [controller, ...ancestors]) {
    for (const action of storage.actions.filter((entry) => entry.target === target && !routes.has(entry.method))) {
      const path = typeof action.route === 'string' ? action.route : String(action.route ?? '');
      routes.set(action.method, `${action.type.toUpperCase()} ${prefix}${path}`);
    }
  }
  return [...routes].map(([method, description]) => ({ method, description }));
}

/**
 * The library's guards refuse by throwing before the handler runs; in `@UseAfter` they would run
 * after it, so the handler's side effects happen for anyone.
 */
function guardsAfterTheHandler(controllers: readonly Function[] | undefined): string[] {
  return getMetadataArgsStorage()
    .uses.filter((use) => use.afterAction && describedGuard(use.middleware) !== undefined)
    .filter((use) => !controllers || controllers.includes(use.target))
    .map(
      (use) =>
        `${describedGuard(use.middleware)!.name} in @UseAfter on ${describeRoute(use.target, use.method)}: it would run after the handler; use @UseBefore`,
    );
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
