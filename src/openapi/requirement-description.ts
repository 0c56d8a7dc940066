import type { Requirement } from '../core/authorization/authorization';
import type { GroupAliases } from '../core/authorization/group-aliases';
import { isGuid, sameGuid } from '../core/guid';
import type { RouteRequirements } from '../routing-controllers/route-requirements';

/** What a description needs from the settings and the security schemes. */
export interface DescriptionContext {
  readonly groupAliases: GroupAliases;
  /** The OAuth 2.0 scope a client requests for a `scope:` value; `undefined` without an App ID URI. */
  readonly oauth2Scope: (scope: string) => string | undefined;
}

/** One requirement as the `x-entra-authorization` extension states it. */
export type RequirementEntry = Readonly<Record<string, string>>;

export interface DescribedRequirement {
  readonly entry: RequirementEntry;
  /** The words of the operation's description line. */
  readonly text: string;
}

/**
 * Describes one requirement as the checker decides it (docs/design.md#authorization, A4): a group
 * named by an alias (or an object id that has one) by its alias name only, since it matches that
 * object id and nothing else; an object id without alias by the id; any other group by its name,
 * compared with the names the tokens (or the groups provider) carry. A kind this describer does not
 * know (one added after it) is stated by its prefix and value, never guessed at or refused.
 */
export function describeRequirement(requirement: Requirement, context: DescriptionContext): DescribedRequirement {
  const { kind, value } = requirement;
  switch (kind) {
    case 'group': {
      const alias = aliasOf(value, context.groupAliases);
      if (alias !== undefined) return { entry: { kind, name: alias, matchedBy: 'alias' }, text: `group ${alias}` };
      if (isGuid(value)) return { entry: { kind, objectId: value, matchedBy: 'objectId' }, text: `group ${value}` };
      return { entry: { kind, name: value, matchedBy: 'name' }, text: `group named ${value}` };
    }
    case 'role':
      return { entry: { kind, value, claim: 'roles' }, text: `app role ${value}` };
    case 'scope': {
      const oauth2Scope = context.oauth2Scope(value);
      return {
        entry: { kind, value, claim: 'scp', ...(oauth2Scope === undefined ? {} : { oauth2Scope }) },
        text: `scope ${value}`,
      };
    }
    case 'permission':
      return { entry: { kind, value, source: 'PermissionsProvider' }, text: `permission ${value}` };
    case 'authContext':
      return { entry: { kind, value, claim: 'acrs' }, text: `authentication context ${value} (step-up)` };
    case 'app':
      return {
        entry: { kind, value },
        text: value === 'only' ? 'app-only tokens only' : 'tokens acting for a signed-in user only',
      };
    case 'guest':
      return { entry: { kind, value }, text: value === 'allow' ? 'guests allowed' : 'guests refused' };
    default:
      return { entry: { kind: String(kind), value }, text: `${String(kind)} ${value}` };
  }
}

/** The alias name a group entry stands for: the entry itself when it is an alias, or the alias of its object id. */
function aliasOf(value: string, aliases: GroupAliases): string | undefined {
  if (Object.hasOwn(aliases, value)) return value;
  if (!isGuid(value)) return undefined;
  return Object.keys(aliases).find((name) => sameGuid(aliases[name]!, value));
}

/** The `x-entra-authorization` extension of a route: what it requires, ALL sets, ANY entry of each. */
export function authorizationExtension(route: RouteRequirements, context: DescriptionContext): Record<string, unknown> {
  return {
    tokenRequired: route.tokenRequired,
    allOf: route.allOf.map((set) => ({
      source: set.source,
      anyOf: set.anyOf.map((requirement) => describeRequirement(requirement, context).entry),
      ...(set.conditions.length > 0
        ? { conditions: set.conditions.map((requirement) => describeRequirement(requirement, context).entry) }
        : {}),
    })),
    ...(route.undescribed.length > 0 ? { undescribed: [...route.undescribed] } : {}),
  };
}

/** The sentence appended to a route's description, saying in words what the extension says. */
export function authorizationLine(route: RouteRequirements, context: DescriptionContext): string {
  const undescribed = route.undescribed.join(', ');
  if (!route.tokenRequired) {
    return `**Authorization:** not described: the route passes through middleware this document cannot describe (${undescribed}).`;
  }
  const sets = route.allOf.map((set) => {
    const from = route.allOf.length > 1 ? ` (${set.source})` : '';
    const entries = set.anyOf.map((requirement) => describeRequirement(requirement, context).text).join(', ');
    const conditions = set.conditions.map((requirement) => describeRequirement(requirement, context).text).join(', ');
    // Conditions (docs/design.md#authorization, A10) hold besides the ANY-of entries, each one.
    return [
      ...(entries ? [`ANY of${from}: ${entries}`] : []),
      ...(conditions ? [`ALL of${from}: ${conditions}`] : []),
    ].join(', and ');
  });
  const accepted =
    sets.length === 0
      ? 'any valid access token for this API.'
      : `a valid access token for this API whose caller holds ${sets.join('; and ')}.`;
  const unknown =
    route.undescribed.length > 0
      ? ` It also passes through middleware this document cannot describe (${undescribed}), which may refuse more callers.`
      : '';
  return `**Authorization:** ${accepted}${unknown}`;
}
