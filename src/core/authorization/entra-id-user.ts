import { ownClaim, stringClaim, stringListClaim, type EntraIdClaims } from '../token/claims';
import type { AuthorizationPolicy } from './authorization-policy';
import type { GroupAliases } from './group-aliases';
import { isGuestAccount } from './guest-account';
import type { GroupsProvider } from './groups-provider';
import type { PermissionsProvider } from './permissions-provider';
import { scopesOf } from './permissions-provider';

/**
 * The verified caller. Identity is (`tenantId`, `id`), never `email`: emails and UPNs are
 * mutable and reassignable. Groups and permissions come from their providers on first use and
 * are then kept for the request, since a provider may call a remote service.
 */
export class EntraIdUser {
  /** `oid`: the object id of the user, or of the client's service principal for app-only tokens. */
  readonly id: string;
  readonly name: string | undefined;
  /** `email`, else `preferred_username`, else `upn`, else `unique_name`; for display only. */
  readonly email: string | undefined;
  /** `tid` */
  readonly tenantId: string;
  /** App roles granted to the user or client application (`roles`). */
  readonly roles: readonly string[];
  /** Delegated scopes (`scp`, split on spaces); empty for app-only tokens. */
  readonly scopes: readonly string[];
  /**
   * A client acting as itself (client credentials), not on behalf of a user: `idtyp` is `app`;
   * without the optional `idtyp`, no `scp` and `sub` equal to `oid` (docs/design.md#d84).
   */
  readonly isAppOnly: boolean;
  /** The client application that requested the token: `azp` (v2) or `appid` (v1). */
  readonly clientId: string | undefined;
  /**
   * A guest of the tenant, by Entra's signals: `acct` 1, or an `idp` that is not the token's
   * tenant (docs/design.md#d73). Never an app-only caller.
   */
  readonly isGuest: boolean;
  /** The Conditional Access authentication contexts the user satisfied (`acrs`), e.g. `['c1']`. */
  readonly authContexts: readonly string[];
  /** Every verified claim, frozen. */
  readonly claims: EntraIdClaims;

  readonly #groupsProvider: GroupsProvider;
  readonly #permissionsProvider: PermissionsProvider;
  readonly #groupAliases: GroupAliases;
  readonly #policy: AuthorizationPolicy;
  #groups: Promise<readonly string[]> | undefined;
  #permissions: Promise<readonly string[]> | undefined;

  constructor(
    claims: EntraIdClaims,
    groupsProvider: GroupsProvider,
    permissionsProvider: PermissionsProvider,
    groupAliases: GroupAliases,
    policy: AuthorizationPolicy,
  ) {
    this.claims = claims;
    this.#groupAliases = groupAliases;
    this.#policy = policy;
    this.id = stringClaim(claims, 'oid') ?? '';
    this.name = stringClaim(claims, 'name');
    this.email =
      stringClaim(claims, 'email') ??
      stringClaim(claims, 'preferred_username') ??
      stringClaim(claims, 'upn') ??
      stringClaim(claims, 'unique_name');
    this.tenantId = stringClaim(claims, 'tid') ?? '';
    this.roles = stringListClaim(claims, 'roles');
    this.scopes = scopesOf(claims);
    this.isAppOnly = isAppOnlyToken(claims);
    // The claim rule 9 (and 10) checked for the token's version, never the other one.
    this.clientId = stringClaim(claims, ownClaim(claims, 'ver') === '1.0' ? 'appid' : 'azp');
    this.isGuest = isGuestAccount(claims, this.isAppOnly, policy.externalId);
    this.authContexts = stringListClaim(claims, 'acrs');
    this.#groupsProvider = groupsProvider;
    this.#permissionsProvider = permissionsProvider;
  }

  /** The groups provider's answer (by default the `groups` claim; `groups_overage` when absent by overage). */
  get groups(): Promise<readonly string[]> {
    this.#groups ??= this.#groupsProvider.fetchGroups(this.claims).then(frozenCopy);
    return this.#groups;
  }

  /** The app's `GROUP_ALIASES`, so that a group name required by a route matches the object id held. */
  get groupAliases(): GroupAliases {
    return this.#groupAliases;
  }

  /** The app's settings that authorization judges this user under (guests, step-up). */
  get authorizationPolicy(): AuthorizationPolicy {
    return this.#policy;
  }

  /** The permissions provider's answer (by default roles ∪ scopes). */
  get permissions(): Promise<readonly string[]> {
    this.#permissions ??= this.#permissionsProvider.fetchPermissions(this.claims).then(frozenCopy);
    return this.#permissions;
  }
}

function frozenCopy(list: readonly string[]): readonly string[] {
  return Object.freeze([...list]);
}

/**
 * `idtyp`, an optional claim, decides when present. Without it, a user token can lack `scp` too
 * (an API that exposes no scopes, asked for `.default`, gets the user's roles only), but its `sub`
 * is pairwise and never the `oid`, while an app's token names its service principal in both.
 */
function isAppOnlyToken(claims: EntraIdClaims): boolean {
  const tokenType = ownClaim(claims, 'idtyp');
  if (tokenType !== undefined) return tokenType === 'app';
  const objectId = ownClaim(claims, 'oid');
  return ownClaim(claims, 'scp') === undefined && typeof objectId === 'string' && ownClaim(claims, 'sub') === objectId;
}
