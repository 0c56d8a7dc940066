import { GUID_PATTERN, NIL_GUID, isGuid } from '../guid';
import { audiences } from './audiences-kind';
import { clientCredential } from './credential-kind';
import { EXTERNAL_ID, externalIdDiscoveryTemplate } from './external-id';
import { RSA_ALGORITHMS, isRsaAlgorithm } from './rsa-algorithms';
import { redisConnection } from './redis-connection-kind';
import type { CompoundKind, ValueKind } from './setting-kind';
import {
  discoveryUrlTemplate,
  groupAliasPairs,
  httpsUrl,
  listOf,
  matching,
  oneOf,
  resourceIdentifier,
  trueOrFalse,
  wholeNumber,
} from './setting-kinds';
import { tenant } from './tenant-kind';

/** Where Microsoft's workforce tenants publish their v2 discovery documents; `{}` = tenant. */
export const WORKFORCE_DISCOVERY_TEMPLATE =
  'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration';

/**
 * The settings, one row each: the single source of the `Settings` and `SettingsInput` types, of
 * loading, of the validation messages, of start-up print-outs and of the README's Configuration
 * table (`npm run docs:settings`; a test fails when the README differs). A new setting is a new
 * row; rules between settings are in settings-checks.ts.
 */
const SETTINGS = [
  setting('tenantId', {
    variables: [prefixed('TENANT_ID'), 'ENTRA_TENANT_ID'],
    kind: tenant(),
    whenDisabled: NIL_GUID,
    doc: 'the tenant; `common` / `organizations` make the API multi-tenant. The two variables naming different tenants fail the start',
  }),
  setting('audiences', {
    variables: [prefixed('AUDIENCE_ID'), 'ENTRA_CLIENT_ID', 'ENTRA_AUDIENCE'],
    kind: audiences(),
    whenDisabled: [],
    doc: "accepted `aud` values: a list, the API's application id and one more audience, in the variables' order; a GUID also accepts `api://<GUID>`. Set in code they replace the environment's; the list and the application id naming different applications fail the start ([D11](docs/design.md#d11))",
  }),
  setting('jwksUrlTemplate', {
    variables: [prefixed('JWKS_URL_TEMPLATE')],
    kind: discoveryUrlTemplate(),
    default: WORKFORCE_DISCOVERY_TEMPLATE,
    derive: ({ authorityType, tenantId }) =>
      authorityType === EXTERNAL_ID ? externalIdDiscoveryTemplate(tenantId) : undefined,
    doc: 'v2 discovery URL, `{}` = tenant; v1 is the same without `/v2.0`; its origin is the authority. National clouds: change the host. With `AUTHORITY_TYPE=external_id` the default is `https://<subdomain>.ciamlogin.com/{}/v2.0/.well-known/openid-configuration` (the subdomain of a tenant named `<subdomain>`, `<subdomain>.onmicrosoft.com` or by GUID); a custom URL domain: its host here',
  }),
  setting('signingKeysAppId', {
    variables: [prefixed('SIGNING_KEYS_APP_ID')],
    kind: matching(GUID_PATTERN, 'expected the application GUID whose custom signing keys to fetch', 'GUID'),
    doc: 'adds `?appid=` to discovery, for apps with custom signing keys',
  }),
  setting('allowedTenants', {
    variables: [prefixed('ALLOWED_TENANTS')],
    kind: listOf(isGuid, 'expected a comma-separated list of tenant GUIDs', 'GUIDs'),
    doc: 'multi-tenant only: the tenants accepted ([D10](docs/design.md#d10))',
  }),
  setting('leeway', {
    variables: [prefixed('LEEWAY')],
    kind: wholeNumber(0, 3600, 'seconds'),
    default: 300,
    doc: 'clock skew allowed on `exp` and `nbf`, both ways',
  }),
  setting('algorithms', {
    variables: [prefixed('ALGORITHMS')],
    kind: listOf(
      isRsaAlgorithm,
      `expected a comma-separated list from ${RSA_ALGORITHMS.join(', ')}`,
      RSA_ALGORITHMS.join(', '),
    ),
    default: ['RS256'],
    doc: 'accepted `alg` values, RSA family only',
  }),
  setting('maxTokenBytes', {
    variables: [prefixed('MAX_TOKEN_BYTES')],
    kind: wholeNumber(1024, 65536, 'bytes'),
    default: 16384,
    doc: 'longer tokens are refused before decoding',
  }),
  setting('allowAclAuthorization', {
    variables: [prefixed('ALLOW_ACL_AUTHORIZATION')],
    kind: trueOrFalse(),
    default: false,
    doc: 'accept tokens with neither `scp` nor `roles` (app-only tokens of clients without app roles)',
  }),
  setting('jwksRefreshInterval', {
    variables: [prefixed('JWKS_REFRESH_INTERVAL')],
    kind: wholeNumber(60, 604800, 'seconds'),
    default: 43200,
    doc: 'scheduled key refresh (±5 % jitter)',
  }),
  setting('jwksCooldown', {
    variables: [prefixed('JWKS_COOLDOWN')],
    kind: wholeNumber(1, 86400, 'seconds'),
    default: 300,
    doc: 'minimum gap between unknown-kid refetches (the first is immediate); at most the refresh interval',
  }),
  setting('jwksStaleMaxAge', {
    variables: [prefixed('JWKS_STALE_MAX_AGE')],
    kind: wholeNumber(0, 604800, 'seconds'),
    default: 86400,
    doc: 'how long the last good keys serve while refreshes fail, then 503; at least the refresh interval ([D12](docs/design.md#d12))',
  }),
  setting('httpTimeoutMs', {
    variables: [prefixed('HTTP_TIMEOUT_MS')],
    kind: wholeNumber(100, 60000, 'milliseconds'),
    default: 5000,
    doc: 'total time of one outgoing request (discovery, key set, Graph)',
  }),
  setting('httpMaxBytes', {
    variables: [prefixed('HTTP_MAX_BYTES')],
    kind: wholeNumber(1024, 16777216, 'bytes'),
    default: 1048576,
    doc: 'response size cap of every outgoing request, enforced while streaming',
  }),
  setting('tokenCacheMaxEntries', {
    variables: [prefixed('TOKEN_CACHE_MAX_ENTRIES')],
    kind: wholeNumber(0, 1000000, 'entries'),
    default: 10000,
    doc: 'verified tokens kept per provider, so a repeated token skips parsing and RSA (also capped at 16 MiB); 0 turns the cache off ([T1](docs/design.md#verified-token-cache))',
  }),
  setting('issuer', {
    variables: ['ENTRA_ISSUER'],
    kind: httpsUrl('issuer URL'),
    doc: 'an issuer `iss` must also equal: narrows, never widens',
  }),
  setting('validateTenant', {
    variables: ['ENTRA_VALIDATE_TENANT'],
    kind: trueOrFalse(),
    default: true,
    doc: '`false` = any tenant, said explicitly: only for a multi-tenant app without an allow-list ([D10](docs/design.md#d10))',
  }),
  setting('middlewareDisabled', {
    variables: ['AUTH_MIDDLEWARE_DISABLED'],
    kind: trueOrFalse(),
    default: false,
    doc: '`true`: every request is the synthetic user "Local Developer", for local work without a tenant; allowed only when `NODE_ENV` is unset, development, test or local ([D31](docs/design.md#d31))',
  }),
  setting('groupAliases', {
    variables: [prefixed('GROUP_ALIASES')],
    kind: groupAliasPairs(),
    default: Object.freeze({}),
    doc: 'group names for `@Authorized` and `requireGroups`, each mapped to its object id ([A4](docs/design.md#authorization))',
  }),
  setting('groupNamesInTokens', {
    variables: [prefixed('GROUP_NAMES_IN_TOKENS')],
    kind: trueOrFalse(),
    default: false,
    doc: 'group entries that are neither object ids nor aliases are names the tokens (or your groups provider) carry: no startup error for them ([D20](docs/design.md#d20))',
  }),
  setting('clientCredential', {
    variables: [prefixed('CLIENT_SECRET'), prefixed('CLIENT_CERTIFICATE_PATH')],
    kind: clientCredential(),
    doc: "the API's credential for Graph group lookups (it authenticates as the first GUID audience); never printed ([D22](docs/design.md#d22))",
  }),
  setting('graphUrl', {
    variables: [prefixed('GRAPH_URL')],
    kind: httpsUrl('URL', { dropTrailingSlashes: true }),
    default: 'https://graph.microsoft.com',
    doc: "Graph base URL (national clouds, the emulator); the app token's scope is `<URL>/.default`",
  }),
  setting('groupsCacheTtl', {
    variables: [prefixed('GROUPS_CACHE_TTL')],
    kind: wholeNumber(1, 86400, 'seconds'),
    default: 600,
    doc: "how long a user's resolved memberships are reused",
  }),
  setting('allowGuests', {
    variables: [prefixed('ALLOW_GUESTS')],
    kind: trueOrFalse(),
    default: false,
    doc: '`true`: guest users of the tenant (`acct` 1, or an `idp` of another tenant or provider) pass `@Authorized` lists and guards that do not name `guest:`; `false`: they are refused there, 403 `guest_not_allowed` ([D67](docs/design.md#d67))',
  }),
  setting('allowedClientApps', {
    variables: [prefixed('ALLOWED_CLIENT_APPS')],
    kind: listOf(isGuid, 'expected a comma-separated list of client application GUIDs', 'GUIDs'),
    doc: 'only tokens issued to these client applications (`azp` v2, `appid` v1) are accepted, else 401 `client_not_allowed` ([rule 10](docs/design.md#rule-10)); unset: any client',
  }),
  setting('authorityType', {
    variables: [prefixed('AUTHORITY_TYPE')],
    kind: oneOf(['workforce', EXTERNAL_ID]),
    default: 'workforce',
    doc: '`external_id`: the tenant is an Entra External ID (customer, CIAM) tenant, named by its subdomain, `<subdomain>.onmicrosoft.com` or GUID; its issuer `https://<tenant-id>.ciamlogin.com/<tenant-id>/v2.0` must carry the tenant GUID in host and path ([D69](docs/design.md#d69))',
  }),
  setting('resourceUrl', {
    variables: [prefixed('RESOURCE_URL')],
    kind: resourceIdentifier(),
    doc: 'this API\'s public URL, its RFC 9728 resource identifier: 401 answers then carry `resource_metadata="<origin>/.well-known/oauth-protected-resource<path>"`, where `protectedResourceMetadata` serves the document ([R6](docs/design.md#protected-resource-metadata))',
  }),
  setting('redis', {
    variables: [prefixed('REDIS_URL'), prefixed('REDIS_PASSWORD')],
    kind: redisConnection(),
    doc: 'the store a fleet shares: group memberships, Graph throttling and session revocations, through Redis (the `redis` package, an optional peer); never printed with its password. Unset: everything stays in the process ([Running a fleet](#running-a-fleet))',
  }),
  setting('redisKeyPrefix', {
    variables: [prefixed('REDIS_KEY_PREFIX')],
    kind: matching(
      /^[\x21-\x7e]{1,64}$/,
      'expected 1 to 64 printable ASCII characters without spaces',
      '1–64 printable ASCII characters, no spaces',
    ),
    default: 'entra-auth:',
    doc: 'starts every key and channel name in Redis: apps that share a Redis but not their memberships or revocations need different prefixes',
  }),
  setting('storeTimeoutMs', {
    variables: [prefixed('STORE_TIMEOUT_MS')],
    kind: wholeNumber(10, 1000, 'milliseconds'),
    default: 100,
    doc: 'the longest a request waits for Redis; an answer later than this counts as a miss ([F4](docs/design.md#fleet))',
  }),
] as const;

/** A row as loading, validation and print-outs walk it. */
export type SettingRow = SettingSpec & {
  /** The `Settings` property; for a value kind also its `SettingsInput` key. */
  readonly key: SettingKey;
};

/** The environment variables, the main one first: one for a value kind, any number for a compound one. */
type Sources =
  | { readonly variables: readonly [string]; readonly kind: ValueKind<unknown, unknown> }
  | {
      readonly variables: readonly [string, ...string[]];
      readonly kind: CompoundKind<unknown, Record<string, unknown>>;
    };

type SettingSpec = Sources & {
  /** Used when nothing is set; a setting with neither a default nor `whenDisabled` is optional. */
  readonly default?: unknown;
  /** Required, except under `AUTH_MIDDLEWARE_DISABLED`, where this stands in when it is unset. */
  readonly whenDisabled?: unknown;
  /**
   * The value when nothing is set, computed from the other settings as read (before any default);
   * `undefined` leaves the default.
   */
  readonly derive?: (read: Readonly<Record<string, unknown>>) => unknown;
  /** One line of Markdown for the README. */
  readonly doc: string;
};

export const SETTING_ROWS: readonly SettingRow[] = SETTINGS;

type Row = (typeof SETTINGS)[number];
export type SettingKey = Row['key'];

/** The environment variables of one setting, the main one first. */
export function variablesOf(key: SettingKey): readonly [string, ...string[]] {
  return SETTINGS.find((row) => row.key === key)!.variables;
}

/** How problems name a setting: its main variable, then the others, e.g. `A (or B, C)`. */
export function describeVariables(key: SettingKey): string {
  const [main, ...others] = variablesOf(key);
  return others.length > 0 ? `${main} (or ${others.join(', ')})` : main;
}

type KindValue<Kind> = Kind extends { show(value: infer Value): string } ? Value : never;
type ValueOf<R extends Row> = KindValue<R['kind']>;
type ValuesOfKind<Spec extends SettingSpec> = {
  readonly default?: KindValue<Spec['kind']>;
  readonly whenDisabled?: KindValue<Spec['kind']>;
};
type AlwaysSet = { default: unknown } | { whenDisabled: unknown };

/** The fields of `Settings`: always set when the row has a default or a stand-in, else optional. */
export type SettingsValues = {
  readonly [R in Row as R extends AlwaysSet ? R['key'] : never]: ValueOf<R>;
} & {
  readonly [R in Row as R extends AlwaysSet ? never : R['key']]?: ValueOf<R>;
};

// `R extends Row` distributes over the rows: one input type per row.
type InputOf<R extends Row> = R extends Row
  ? R['kind'] extends CompoundKind<unknown, infer Inputs>
    ? Inputs
    : R['kind'] extends ValueKind<unknown, infer Code>
      ? { [K in R['key']]?: Code }
      : never
  : never;
type Intersection<U> = (U extends unknown ? (union: U) => void : never) extends (all: infer I) => void ? I : never;
type Flat<T> = { [K in keyof T]: T[K] };

/** What code may pass to `loadSettings`; each value wins over its environment variables. */
export type SettingsInput = Flat<Intersection<InputOf<Row>>>;

/** Keeps each row's exact types, and checks its default and stand-in against its kind. */
function setting<const Key extends string, const Spec extends SettingSpec>(
  key: Key,
  spec: Spec & ValuesOfKind<Spec>,
): { readonly key: Key } & Spec {
  return { key, ...spec };
}

function prefixed(name: string): string {
  return `AUTH_PROVIDER_AZURE_ENTRA_ID_${name}`;
}
