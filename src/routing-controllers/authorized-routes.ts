import { getMetadataArgsStorage } from 'routing-controllers';
import { parseRequirement, type Requirement } from '../core/authorization/authorization';
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
    for (const role of ([] as unknown[]).concat(handler.value ?? [])) {
      const parsed = typeof role === 'string' ? parseRequirement(role) : `${String(role)}: not a string`;
      if (typeof parsed === 'string') {
        problems.push(`@Authorized on ${describeRoute(handler.target, handler.method)}: ${parsed}`);
      } else if (settings && isUnknownGroupName(parsed, settings)) {
        problems.push(
          `@Authorized on ${describeRoute(handler.target, handler.method)}: ${unknownGroupProblem(parsed.value)}`,
        );
      }
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
  if (problems.length > 0) throw new ConfigurationError(problems);
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
