import { ownMember } from '../json-object';

/**
 * The verified claims of an access token, frozen, so nothing downstream can alter what was checked.
 * The claims Microsoft documents ("Access token claims reference", "Optional claims reference")
 * carry their types, and a token whose claim of that name has another type is refused
 * (`token_malformed`, docs/design.md#claim-shapes): the types hold at run time, not only in the
 * compiler. Any other claim is `unknown`.
 */
export interface EntraIdClaims {
  /** Object id of the user, or of the client's service principal for app-only tokens (a GUID). */
  readonly oid: string;
  /** Tenant id (a GUID). With `oid`, the caller's identity. */
  readonly tid: string;
  /** Token version. */
  readonly ver: '1.0' | '2.0';
  /** Issuer. Present in every verified token; absent from the synthetic user's. */
  readonly iss?: string;
  /** Audience: the API's client id (v2) or App ID URI (v1). Present in every verified token. */
  readonly aud?: string;
  /** Expiry, seconds since the epoch. Present in every verified token. */
  readonly exp?: number;
  /** Not before, seconds since the epoch. */
  readonly nbf?: number;
  /** Issued at, seconds since the epoch. */
  readonly iat?: number;
  /** Delegated scopes, space-separated (`"Files.Read User.Read"`); absent from app-only tokens. */
  readonly scp?: string;
  /** App roles granted to the user or the client application. */
  readonly roles?: readonly string[];
  /** Group object ids (or names, where the tenant emits them); absent on groups overage. */
  readonly groups?: readonly string[];
  /** Groups overage (implicit flow): the user is in too many groups to list. */
  readonly hasgroups?: boolean;
  /** Groups overage: `{ "groups": "src1" }`, naming the `_claim_sources` entry. */
  readonly _claim_names?: Readonly<Record<string, string>>;
  /** Groups overage: where Entra says the groups can be read (never followed by this library). */
  readonly _claim_sources?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Directory role template ids of the user. */
  readonly wids?: readonly string[];
  /** The client's application id (v2). */
  readonly azp?: string;
  /** The client's application id (v1). */
  readonly appid?: string;
  /** How the client authenticated (v2): `"0"` public client, `"1"` secret, `"2"` certificate. */
  readonly azpacr?: string;
  /** How the client authenticated (v1): `"0"`, `"1"` or `"2"`, as `azpacr`. */
  readonly appidacr?: string;
  /** `"app"` for app-only tokens, `"user"` for delegated ones (an optional claim). */
  readonly idtyp?: string;
  /** Subject: pairwise per application; not the user's object id. */
  readonly sub?: string;
  /** Display name of the user. */
  readonly name?: string;
  /** Sign-in name (v2); mutable, for display only. */
  readonly preferred_username?: string;
  /** E-mail address (an optional claim); mutable, for display only. */
  readonly email?: string;
  /** User principal name (v1, or an optional claim); mutable, for display only. */
  readonly upn?: string;
  /** Sign-in name (v1); mutable, for display only. */
  readonly unique_name?: string;
  /** Given name (v1, or an optional claim). */
  readonly given_name?: string;
  /** Family name (v1, or an optional claim). */
  readonly family_name?: string;
  /** The user's account in the tenant: `0` member, `1` guest (an optional claim). */
  readonly acct?: number;
  /** The identity provider that authenticated the user, when not the token's tenant (guests). */
  readonly idp?: string;
  /** Authentication context class of the sign-in (v1): `"0"` or `"1"`. */
  readonly acr?: string;
  /** Authentication methods of the sign-in (v1), e.g. `["pwd", "mfa"]`. */
  readonly amr?: readonly string[];
  /** Conditional Access authentication context ids satisfied, e.g. `["c1"]`. */
  readonly acrs?: readonly string[];
  /** Client capabilities, e.g. `["cp1"]` for clients that handle claims challenges. */
  readonly xms_cc?: readonly string[];
  /** Time of the user's authentication, seconds since the epoch (an optional claim). */
  readonly auth_time?: number;
  /** Token identifier (opaque). */
  readonly uti?: string;
  /** Session id (opaque). */
  readonly sid?: string;
  /** Opaque internal claims of Entra. */
  readonly aio?: string;
  readonly rh?: string;
  /** The client's IP address at sign-in (v1, or an optional claim). */
  readonly ipaddr?: string;
  /** The user's on-premises security identifier (an optional claim). */
  readonly onprem_sid?: string;
  /** A hint for the next sign-in (an optional claim). */
  readonly login_hint?: string;
  /** Country or region codes (optional claims). */
  readonly ctry?: string;
  readonly tenant_ctry?: string;
  readonly tenant_region_scope?: string;
  /** When the tenant was created, seconds since the epoch. */
  readonly xms_tcdt?: number;
  /** Any other claim, as the token carries it. */
  readonly [claim: string]: unknown;
}

/** A token's payload as parsed, before the rules: any member of any type. */
export type ClaimSet = Readonly<Record<string, unknown>>;

/** How a documented claim must look in a token: the run-time side of {@link EntraIdClaims}. */
export type ClaimShape = 'string' | 'strings' | 'number' | 'boolean' | 'string map' | 'object map';

type DocumentedClaim = keyof {
  [Name in keyof EntraIdClaims as string extends Name ? never : number extends Name ? never : Name]: true;
};
type ShapeOf<T> = [T] extends [string]
  ? 'string'
  : [T] extends [readonly string[]]
    ? 'strings'
    : [T] extends [number]
      ? 'number'
      : [T] extends [boolean]
        ? 'boolean'
        : [T] extends [Readonly<Record<string, string>>]
          ? 'string map'
          : 'object map';

/**
 * The shape of every documented claim. The compiler checks it against {@link EntraIdClaims}: a
 * claim typed there and missing here, or shaped otherwise, does not compile.
 */
export const CLAIM_SHAPES: { readonly [Name in DocumentedClaim]-?: ShapeOf<NonNullable<EntraIdClaims[Name]>> } = {
  oid: 'string',
  tid: 'string',
  ver: 'string',
  iss: 'string',
  aud: 'string',
  exp: 'number',
  nbf: 'number',
  iat: 'number',
  scp: 'string',
  roles: 'strings',
  groups: 'strings',
  hasgroups: 'boolean',
  _claim_names: 'string map',
  _claim_sources: 'object map',
  wids: 'strings',
  azp: 'string',
  appid: 'string',
  azpacr: 'string',
  appidacr: 'string',
  idtyp: 'string',
  sub: 'string',
  name: 'string',
  preferred_username: 'string',
  email: 'string',
  upn: 'string',
  unique_name: 'string',
  given_name: 'string',
  family_name: 'string',
  acct: 'number',
  idp: 'string',
  acr: 'string',
  amr: 'strings',
  acrs: 'strings',
  xms_cc: 'strings',
  auth_time: 'number',
  uti: 'string',
  sid: 'string',
  aio: 'string',
  rh: 'string',
  ipaddr: 'string',
  onprem_sid: 'string',
  login_hint: 'string',
  ctry: 'string',
  tenant_ctry: 'string',
  tenant_region_scope: 'string',
  xms_tcdt: 'number',
};

const CLAIM_SHAPE_ENTRIES = Object.entries(CLAIM_SHAPES) as ReadonlyArray<readonly [string, ClaimShape]>;

/** Every documented claim the payload holds has its documented shape. */
export function hasDocumentedShapes(claims: ClaimSet): boolean {
  return CLAIM_SHAPE_ENTRIES.every(([name, shape]) => {
    const value = ownMember(claims, name);
    return value === undefined || hasShape(value, shape);
  });
}

function hasShape(value: unknown, shape: ClaimShape): boolean {
  switch (shape) {
    case 'string':
      return typeof value === 'string';
    case 'strings':
      return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string map':
      return isPlainObject(value) && Object.values(value).every((entry) => typeof entry === 'string');
    case 'object map':
      return isPlainObject(value) && Object.values(value).every(isPlainObject);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A claim only when the payload itself holds it: never something inherited from a prototype. */
export function ownClaim(claims: ClaimSet, name: string): unknown {
  return ownMember(claims, name);
}

export function stringClaim(claims: ClaimSet, name: string): string | undefined {
  const value = ownClaim(claims, name);
  return typeof value === 'string' ? value : undefined;
}

export function stringListClaim(claims: ClaimSet, name: string): readonly string[] {
  const value = ownClaim(claims, name);
  return Array.isArray(value) ? (value as string[]) : [];
}

/** Groups overage: Entra left the groups out because there were too many to fit in a token. */
export function hasGroupsOverage(claims: ClaimSet): boolean {
  const claimNames = ownClaim(claims, '_claim_names');
  const overageByName = typeof claimNames === 'object' && claimNames !== null && Object.hasOwn(claimNames, 'groups');
  return overageByName || ownClaim(claims, 'hasgroups') === true;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
