import type { EntraIdUser } from './entra-id-user';
import { AuthorizationException, MissingTokenException } from '../errors';
import { groupMatches } from './group-aliases';

export type RequirementKind = 'group' | 'role' | 'scope' | 'permission';

/** One entry of `@Authorized([...])` or a guard: what the caller must hold. */
export interface Requirement {
  readonly kind: RequirementKind;
  readonly value: string;
}

const KINDS: readonly RequirementKind[] = ['group', 'role', 'scope', 'permission'];
/** Scope values end up inside a quoted `WWW-Authenticate` parameter (RFC 6750 §3: NQCHAR). */
const SCOPE_VALUE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** Entra's app role values are printable ASCII without spaces: a homoglyph or an invisible character matches nobody. */
const ROLE_VALUE = /^[\x21-\x7e]+$/;
/** Control and format characters (zero-width space, soft hyphen, bidi marks): invisible, so never intended. */
const INVISIBLE = /\p{Cf}|(?!\s)\p{Cc}/u;
/** `role :Admin` is a mistyped prefix, not a group named "role :Admin". */
const SPACED_PREFIX = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s+:/;
/**
 * Group names are sAMAccountNames or alias names, which keep their inner spaces ("Domain Admins",
 * "Sales Managers"), so a group may hold spaces between words; never whitespace at either end
 * (alias names are trimmed) nor tabs, line breaks or other whitespace.
 */
const GROUP_VALUE = /^\S+(?: \S+)*$/;

/**
 * Reads an entry: `group:`, `role:`, `scope:` or `permission:` name the kind; a bare entry is a
 * group. Returns an error text for an unknown prefix, an empty value or whitespace that no held
 * value can carry (`"role: Admin"` would match nobody: app role values, scopes and the permissions
 * derived from them hold no whitespace), so that callers can report every bad entry at startup
 * with its route.
 */
export function parseRequirement(entry: string): Requirement | string {
  if (INVISIBLE.test(entry)) return `"${JSON.stringify(entry).slice(1, -1)}": holds an invisible or control character`;
  const spacedPrefix = SPACED_PREFIX.exec(entry);
  if (spacedPrefix) return `"${entry}": whitespace before the ":" of "${spacedPrefix[1]}:"`;
  const prefix = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/s.exec(entry);
  const kind = prefix ? (prefix[1]!.toLowerCase() as RequirementKind) : 'group';
  const value = prefix ? prefix[2]! : entry;
  if (prefix && !KINDS.includes(kind)) {
    return `"${entry}": unknown prefix "${prefix[1]}:" (use group:, role:, scope: or permission:, or a bare group)`;
  }
  if (value.trim().length === 0) return `"${entry}": empty ${kind}`;
  if (kind === 'group') {
    if (!GROUP_VALUE.test(value)) {
      return `"${entry}": a group holds no whitespace at either end, and only single spaces inside`;
    }
  } else if (/\s/.test(value)) {
    return `"${entry}": a ${kind} holds no whitespace`;
  }
  if (kind === 'role' && !ROLE_VALUE.test(value)) {
    return `"${entry}": a role may hold only printable ASCII without spaces (as Entra's app role values do)`;
  }
  if (kind === 'scope' && !SCOPE_VALUE.test(value)) {
    return `"${entry}": a scope may hold only printable ASCII without spaces, quotes or backslashes`;
  }
  return { kind, value };
}

/**
 * Passes when the user holds ANY of the requirements; none given means any verified user.
 * Cheap, claim-based kinds are tried first, so that a provider call (or a groups overage) only
 * matters when nothing else already grants access.
 */
export async function authorize(user: EntraIdUser | undefined, requirements: readonly Requirement[]): Promise<void> {
  if (!user) throw new MissingTokenException();
  if (requirements.length === 0) return;

  const wanted = (kind: RequirementKind): string[] =>
    requirements.filter((requirement) => requirement.kind === kind).map((requirement) => requirement.value);
  const roles = wanted('role');
  const scopes = wanted('scope');
  const permissions = wanted('permission');
  const groups = wanted('group');

  if (roles.some((role) => user.roles.includes(role))) return;
  if (scopes.some((scope) => user.scopes.includes(scope))) return;
  if (permissions.length > 0) {
    const held = await user.permissions;
    if (permissions.some((permission) => held.includes(permission))) return;
  }
  if (groups.length > 0) {
    const held = await user.groups;
    if (groups.some((group) => held.some((member) => groupMatches(group, member, user.groupAliases)))) return;
  }

  if (scopes.length === requirements.length) throw new AuthorizationException('insufficient_scope', scopes);
  throw new AuthorizationException(groups.length > 0 ? 'insufficient_groups' : 'insufficient_roles');
}
