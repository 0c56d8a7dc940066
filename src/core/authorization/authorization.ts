import type { EntraIdUser } from './entra-id-user';
import { AuthorizationException, ClaimsChallengeException, MissingTokenException } from '../errors';
import { groupMatches } from './group-aliases';

/**
 * `group`, `role`, `scope`, `permission` grant access (ANY of them suffices); `authContext` and
 * `app` are conditions (ALL must hold, besides a grant); `guest` decides about guests
 * (docs/design.md#authorization, A10).
 */
export type RequirementKind = 'group' | 'role' | 'scope' | 'permission' | 'authContext' | 'guest' | 'app';

/** One entry of `@Authorized([...])` or a guard: what the caller must hold. */
export interface Requirement {
  readonly kind: RequirementKind;
  readonly value: string;
}

const KINDS: readonly RequirementKind[] = ['group', 'role', 'scope', 'permission', 'authContext', 'guest', 'app'];
const GRANTS: readonly RequirementKind[] = ['group', 'role', 'scope', 'permission'];
/** Entra's authentication context ids are `c1` to `c99`. */
const AUTH_CONTEXT_VALUE = /^c(?:[1-9]|[1-9][0-9])$/;
const VALUES_OF: Partial<Record<RequirementKind, readonly string[]>> = {
  guest: ['allow', 'deny'],
  app: ['only', 'delegated'],
};
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
 * A bare entry is a group name; one that is a prefix gone wrong would be read as a group and
 * silently drop a condition (docs/design.md#d85). So a bare entry holds none of the characters a
 * sAMAccountName cannot hold (`"/[]:;|=,+*?<>`; `\` stays, for `DOMAIN\name`) nor a look-alike of
 * the colon (`authContext：c1`); it does not start with a kind's name followed by anything but a
 * letter, digit, space, `-` or `_` (`authContextꓽc1`, `app.only`, whatever the separator); and no
 * word mixes Latin letters with Cyrillic or Greek ones (`аpp`, a Cyrillic а).
 */
const NOT_IN_GROUP_NAMES =
  /["/[\]:;|=,+*?<>\u037e\u02d0\u02f8\u0589\u05c3\u061b\u0703\u0704\u0903\u0a83\u1365\u16ec\u1803\u1804\u1809\u204f\u205a\u2236\u2982\u2a74\u2e35\ua4fd\ua789\ufe13\ufe14\ufe30\ufe54\ufe55\uff1a\uff1b]/;
const KIND_THEN_SEPARATOR = /^(?:group|role|scope|permission|authcontext|guest|app)(?![A-Za-z0-9 _-])./i;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/**
 * Reads an entry: `group:`, `role:`, `scope:`, `permission:`, `authContext:`, `guest:` or `app:`
 * name the kind (in any case); a bare entry is a group. Returns an error text for an unknown
 * prefix, an empty value, a value its kind cannot have, or whitespace that no held value can carry
 * (`"role: Admin"` would match nobody: app role values, scopes and the permissions derived from
 * them hold no whitespace), so that callers can report every bad entry at startup with its route.
 */
export function parseRequirement(entry: string): Requirement | string {
  if (INVISIBLE.test(entry)) return `"${JSON.stringify(entry).slice(1, -1)}": holds an invisible or control character`;
  const spacedPrefix = SPACED_PREFIX.exec(entry);
  if (spacedPrefix) return `"${entry}": whitespace before the ":" of "${spacedPrefix[1]}:"`;
  const prefix = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/s.exec(entry);
  const kind = prefix ? KINDS.find((known) => known.toLowerCase() === prefix[1]!.toLowerCase()) : 'group';
  const value = prefix ? prefix[2]! : entry;
  if (kind === undefined) {
    return `"${entry}": unknown prefix "${prefix![1]}:" (use group:, role:, scope:, permission:, authContext:, guest: or app:, or a bare group)`;
  }
  if (value.trim().length === 0) return `"${entry}": empty ${kind}`;
  if (!prefix && looksLikeAMistypedPrefix(entry)) {
    return `"${entry}": a bare group holds no ":" or look-alike, none of "/[];|=,+*?<>, no word of mixed scripts, and does not start with a kind's name and a separator (a mistyped prefix?); write group:<name> for a group named so`;
  }
  if (kind === 'group') {
    if (!GROUP_VALUE.test(value)) {
      return `"${entry}": a group holds no whitespace at either end, and only single spaces inside`;
    }
  } else if (/\s/.test(value)) {
    return `"${entry}": ${withArticle(kind)} holds no whitespace`;
  }
  if (kind === 'role' && !ROLE_VALUE.test(value)) {
    return `"${entry}": a role may hold only printable ASCII without spaces (as Entra's app role values do)`;
  }
  if (kind === 'scope' && !SCOPE_VALUE.test(value)) {
    return `"${entry}": a scope may hold only printable ASCII without spaces, quotes or backslashes`;
  }
  if (kind === 'authContext' && !AUTH_CONTEXT_VALUE.test(value)) {
    return `"${entry}": an authentication context is an id from c1 to c99, as Entra names them`;
  }
  const values = VALUES_OF[kind];
  if (values && !values.includes(value)) {
    return `"${entry}": ${withArticle(kind)} entry is ${values.map((known) => `${kind}:${known}`).join(' or ')}`;
  }
  return { kind, value };
}

function looksLikeAMistypedPrefix(entry: string): boolean {
  const normalized = entry.normalize('NFKC');
  return (
    NOT_IN_GROUP_NAMES.test(normalized) ||
    KIND_THEN_SEPARATOR.test(normalized) ||
    normalized.split(' ').some((word) => LATIN.test(word) && CYRILLIC_OR_GREEK.test(word))
  );
}

function withArticle(kind: RequirementKind): string {
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** A grant (group, role, scope, permission: ANY suffices), not a condition or a guest decision. */
export function isGrant(requirement: Requirement): boolean {
  return GRANTS.includes(requirement.kind);
}

/**
 * Entries of one list that contradict each other, so that the list can never grant anything, as
 * an error text naming them; `undefined` when there are none.
 */
export function contradictionIn(requirements: readonly Requirement[]): string | undefined {
  const has = (kind: RequirementKind, value?: string): boolean =>
    requirements.some(
      (requirement) => requirement.kind === kind && (value === undefined || requirement.value === value),
    );
  if (has('guest', 'allow') && has('guest', 'deny')) return '"guest:allow" and "guest:deny" contradict each other';
  if (has('app', 'only') && has('app', 'delegated')) return '"app:only" and "app:delegated" contradict each other';
  // App-only tokens carry no user: no authentication context, no delegated scope.
  if (has('app', 'only') && has('authContext')) return '"app:only" tokens carry no authentication context (acrs)';
  const grants = requirements.filter(isGrant);
  if (has('app', 'only') && grants.length > 0 && grants.every((grant) => grant.kind === 'scope')) {
    return '"app:only" tokens carry no delegated scope (scp)';
  }
  return undefined;
}

/**
 * Passes when the user meets every condition and holds ANY of the grants (docs/design.md, A10):
 * guests are judged first (`guest:`, else `ALLOW_GUESTS`), then the token kind (`app:`), then the
 * grants, and last the authentication contexts (`authContext:`), so that a client is sent to
 * step up only when stepping up would grant access. No grant means any verified user. Cheap,
 * claim-based grants are tried first, so that a provider call (or a groups overage) only matters
 * when nothing else already grants access.
 */
export async function authorize(user: EntraIdUser | undefined, requirements: readonly Requirement[]): Promise<void> {
  if (!user) throw new MissingTokenException();
  const wanted = (kind: RequirementKind): string[] =>
    requirements.filter((requirement) => requirement.kind === kind).map((requirement) => requirement.value);

  const guests = wanted('guest');
  const guestsAllowed = guests.length > 0 ? !guests.includes('deny') : user.authorizationPolicy.allowGuests;
  if (user.isGuest && !guestsAllowed) throw new AuthorizationException('guest_not_allowed');
  const tokenKinds = wanted('app');
  if (tokenKinds.includes('only') && !user.isAppOnly) throw new AuthorizationException('app_only_required');
  if (tokenKinds.includes('delegated') && user.isAppOnly) throw new AuthorizationException('delegated_required');

  await checkGrants(user, requirements.filter(isGrant));

  const missingContext = wanted('authContext').find((context) => !user.authContexts.includes(context));
  if (missingContext !== undefined) {
    throw new ClaimsChallengeException(
      'auth_context_required',
      { acrs: { essential: true, value: missingContext } },
      user.authorizationPolicy.claimsChallengeAuthority,
    );
  }
}

/** ANY of the grants; none means any verified user (docs/design.md, A6). */
async function checkGrants(user: EntraIdUser, grants: readonly Requirement[]): Promise<void> {
  if (grants.length === 0) return;
  const wanted = (kind: RequirementKind): string[] =>
    grants.filter((grant) => grant.kind === kind).map((grant) => grant.value);
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

  if (scopes.length === grants.length) throw new AuthorizationException('insufficient_scope', scopes);
  throw new AuthorizationException(groups.length > 0 ? 'insufficient_groups' : 'insufficient_roles');
}
