import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  validateSync,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ConfigurationError } from '../errors';
import { GUID_PATTERN, GUID_SOURCE, NIL_GUID, isGuid } from '../guid';
import { isAllowedAuthorityUrl } from './authority-url';
import { ClientCredential } from '../graph/client-credential';
import { GroupAliasesConstraint, parseGroupAliases, type GroupAliases } from '../authorization/group-aliases';

export type TokenVersion = '1.0' | '2.0';

export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export type RsaAlgorithm = (typeof RSA_ALGORITHMS)[number];

const ENV_PREFIX = 'AUTH_PROVIDER_AZURE_ENTRA_ID_';
const MULTI_TENANT_IDS = ['common', 'organizations'];
const TENANT_PATTERN = new RegExp(
  `^(?:${GUID_SOURCE}|common|organizations|(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63})$`,
  'i',
);

@ValidatorConstraint({ name: 'authorityUrlTemplate' })
class AuthorityUrlTemplate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (value.split('{}').length !== 2 || value.split('/v2.0/').length !== 2) return false;
    return isAllowedAuthorityUrl(value.replace('{}', 'tenant'));
  }
}

@ValidatorConstraint({ name: 'allowedUrl' })
class AllowedUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isAllowedAuthorityUrl(value);
  }
}

@ValidatorConstraint({ name: 'guidList' })
class GuidList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.length > 0 && value.every(isGuid);
  }
}

@ValidatorConstraint({ name: 'audienceList' })
class AudienceList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((entry) => typeof entry === 'string' && /^[^\s,]{1,256}$/.test(entry))
    );
  }
}

/** A whole number in a range, with one message naming the unit and the range. */
function WholeNumber(min: number, max: number, unit: string): PropertyDecorator {
  const message = `expected a whole number of ${unit} from ${min} to ${max}`;
  return (target, property) => {
    IsInt({ message })(target, property);
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}

/**
 * Under AUTH_MIDDLEWARE_DISABLED no token is ever verified, so a tenant and an audience are
 * validated only when given: absent, the synthetic user's tenant (the nil GUID) stands in and no
 * audience is accepted.
 */
function CheckedUnlessDisabledAndAbsent(): PropertyDecorator {
  return ValidateIf(
    (settings: Settings, value: unknown) =>
      settings.middlewareDisabled !== true || !(value === undefined || (Array.isArray(value) && value.length === 0)),
  );
}

/**
 * The validated configuration, built by {@link loadSettings}. Immutable once loaded; injected as a
 * tsyringe token. Durations are seconds unless the name ends in `Ms`.
 */
export class Settings {
  /** Under `AUTH_MIDDLEWARE_DISABLED` without a tenant: the nil GUID, the synthetic user's tenant. */
  @CheckedUnlessDisabledAndAbsent()
  @Matches(TENANT_PATTERN, {
    message: 'expected a tenant GUID, a verified domain, "common" or "organizations"',
  })
  readonly tenantId!: string;

  /**
   * Every accepted `aud` value, already expanded (a GUID also accepts `api://<GUID>`). Empty only
   * under `AUTH_MIDDLEWARE_DISABLED` without an audience.
   */
  @CheckedUnlessDisabledAndAbsent()
  @Validate(AudienceList, {
    message: 'expected one or more audiences (application ids or App ID URIs), comma-separated',
  })
  readonly audiences!: readonly string[];

  @Validate(AuthorityUrlTemplate, {
    message: 'expected an https URL (http only for loopback hosts) containing "{}" for the tenant and "/v2.0/" once',
  })
  readonly jwksUrlTemplate!: string;

  @IsOptional()
  @Matches(GUID_PATTERN, {
    message: 'expected the application GUID whose custom signing keys to fetch',
  })
  readonly signingKeysAppId?: string;

  @IsOptional()
  @Validate(GuidList, { message: 'expected a comma-separated list of tenant GUIDs' })
  readonly allowedTenants?: readonly string[];

  @WholeNumber(0, 3600, 'seconds')
  readonly leeway!: number;

  @ArrayNotEmpty({ message: `expected a comma-separated list from ${RSA_ALGORITHMS.join(', ')}` })
  @IsIn(RSA_ALGORITHMS, {
    each: true,
    message: `expected a comma-separated list from ${RSA_ALGORITHMS.join(', ')}`,
  })
  readonly algorithms!: readonly RsaAlgorithm[];

  @WholeNumber(1024, 65536, 'bytes')
  readonly maxTokenBytes!: number;

  @IsBoolean({ message: 'expected true or false' })
  readonly allowAclAuthorization!: boolean;

  @WholeNumber(60, 604800, 'seconds')
  readonly jwksRefreshInterval!: number;

  @WholeNumber(1, 86400, 'seconds')
  readonly jwksCooldown!: number;

  @WholeNumber(0, 604800, 'seconds')
  readonly jwksStaleMaxAge!: number;

  @WholeNumber(100, 60000, 'milliseconds')
  readonly httpTimeoutMs!: number;

  @WholeNumber(1024, 16777216, 'bytes')
  readonly httpMaxBytes!: number;

  /** Verified tokens kept per provider, so a repeated token skips parsing and RSA; 0 = off. */
  @WholeNumber(0, 1000000, 'entries')
  readonly tokenCacheMaxEntries!: number;

  /** An issuer that `iss` must also equal (narrows, never widens). */
  @IsOptional()
  @Validate(AllowedUrl, { message: 'expected an https issuer URL (http only for loopback hosts)' })
  readonly issuer?: string;

  /** `false` = explicitly any tenant; only meaningful in multi-tenant mode without an allow-list. */
  @IsBoolean({ message: 'expected true or false' })
  readonly validateTenant!: boolean;

  /**
   * `AUTH_MIDDLEWARE_DISABLED`: every request is a synthetic user, for local work without a tenant
   * (tenant and audience are then optional, checked only when given). Refused at startup when
   * `NODE_ENV` says production, in any case or padding, in the environment given or in
   * `process.env`: either may be what the process really runs under.
   */
  @IsBoolean({ message: 'expected true or false' })
  readonly middlewareDisabled!: boolean;

  /** Group names for `@Authorized` and `requireGroups`, each mapped to its object id. */
  @Validate(GroupAliasesConstraint, {
    message: 'expected comma-separated Name=<group object id> pairs; a name is not a GUID and holds no ":", "=" or ","',
  })
  readonly groupAliases!: GroupAliases;

  /**
   * The groups the app compares with are names (tenants emitting sAMAccountName, or a custom
   * GroupsProvider answering names), so a group entry that is neither a GUID nor an alias is no
   * startup error.
   */
  @IsBoolean({ message: 'expected true or false' })
  readonly groupNamesInTokens!: boolean;

  /** The API's own credential for Graph group lookups; never printed. */
  readonly clientCredential?: ClientCredential;

  @Validate(AllowedUrl, { message: 'expected an https URL (http only for loopback hosts)' })
  readonly graphUrl!: string;

  @WholeNumber(1, 86400, 'seconds')
  readonly groupsCacheTtl!: number;

  get isMultiTenant(): boolean {
    return MULTI_TENANT_IDS.includes(this.tenantId.toLowerCase());
  }

  /** The discovery document URL for one token version, with `?appid=` for custom signing keys. */
  discoveryUrl(version: TokenVersion): string {
    const v2 = this.jwksUrlTemplate.replace('{}', encodeURIComponent(this.tenantId));
    const url = new URL(version === '2.0' ? v2 : v2.replace('/v2.0/', '/'));
    if (this.signingKeysAppId) url.searchParams.set('appid', this.signingKeysAppId);
    return url.toString();
  }

  /** The API's application (client) id: the first GUID audience; Graph lookups authenticate as it. */
  get clientId(): string | undefined {
    return this.audiences.find(isGuid);
  }

  /** Scheme, host and port of the authority: key sets must be served from here. */
  get authorityOrigin(): string {
    return new URL(this.discoveryUrl('2.0')).origin;
  }
}

/** What code may pass to {@link loadSettings}; each value wins over its environment variable. */
export interface SettingsInput {
  tenantId?: string;
  /** Accepted audiences; a GUID also accepts `api://<GUID>`. */
  audiences?: readonly string[];
  /** The application (client) id: accepted as `<id>` and `api://<id>`. */
  clientId?: string;
  jwksUrlTemplate?: string;
  signingKeysAppId?: string;
  allowedTenants?: readonly string[];
  leeway?: number;
  algorithms?: readonly string[];
  maxTokenBytes?: number;
  allowAclAuthorization?: boolean;
  jwksRefreshInterval?: number;
  jwksCooldown?: number;
  jwksStaleMaxAge?: number;
  httpTimeoutMs?: number;
  httpMaxBytes?: number;
  tokenCacheMaxEntries?: number;
  issuer?: string;
  validateTenant?: boolean;
  middlewareDisabled?: boolean;
  /** Group name → object id. */
  groupAliases?: Readonly<Record<string, string>>;
  groupNamesInTokens?: boolean;
  clientSecret?: string;
  /** A PEM file holding the private key and the certificate. */
  clientCertificatePath?: string;
  graphUrl?: string;
  groupsCacheTtl?: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** The variable each setting is read from, used to name it in errors. */
const VARIABLES: Record<keyof Settings & string, string> = {
  tenantId: `${ENV_PREFIX}TENANT_ID (or ENTRA_TENANT_ID)`,
  audiences: `${ENV_PREFIX}AUDIENCE_ID (or ENTRA_CLIENT_ID, ENTRA_AUDIENCE)`,
  jwksUrlTemplate: `${ENV_PREFIX}JWKS_URL_TEMPLATE`,
  signingKeysAppId: `${ENV_PREFIX}SIGNING_KEYS_APP_ID`,
  allowedTenants: `${ENV_PREFIX}ALLOWED_TENANTS`,
  leeway: `${ENV_PREFIX}LEEWAY`,
  algorithms: `${ENV_PREFIX}ALGORITHMS`,
  maxTokenBytes: `${ENV_PREFIX}MAX_TOKEN_BYTES`,
  allowAclAuthorization: `${ENV_PREFIX}ALLOW_ACL_AUTHORIZATION`,
  jwksRefreshInterval: `${ENV_PREFIX}JWKS_REFRESH_INTERVAL`,
  jwksCooldown: `${ENV_PREFIX}JWKS_COOLDOWN`,
  jwksStaleMaxAge: `${ENV_PREFIX}JWKS_STALE_MAX_AGE`,
  httpTimeoutMs: `${ENV_PREFIX}HTTP_TIMEOUT_MS`,
  httpMaxBytes: `${ENV_PREFIX}HTTP_MAX_BYTES`,
  tokenCacheMaxEntries: `${ENV_PREFIX}TOKEN_CACHE_MAX_ENTRIES`,
  issuer: 'ENTRA_ISSUER',
  validateTenant: 'ENTRA_VALIDATE_TENANT',
  middlewareDisabled: 'AUTH_MIDDLEWARE_DISABLED',
  groupAliases: `${ENV_PREFIX}GROUP_ALIASES`,
  groupNamesInTokens: `${ENV_PREFIX}GROUP_NAMES_IN_TOKENS`,
  clientCredential: `${ENV_PREFIX}CLIENT_SECRET / ${ENV_PREFIX}CLIENT_CERTIFICATE_PATH`,
  graphUrl: `${ENV_PREFIX}GRAPH_URL`,
  groupsCacheTtl: `${ENV_PREFIX}GROUPS_CACHE_TTL`,
  clientId: '',
  isMultiTenant: '',
  discoveryUrl: '',
  authorityOrigin: '',
};

const DEFAULTS = {
  jwksUrlTemplate: 'https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration',
  leeway: 300,
  algorithms: ['RS256'],
  maxTokenBytes: 16384,
  allowAclAuthorization: false,
  jwksRefreshInterval: 43200,
  jwksCooldown: 300,
  jwksStaleMaxAge: 86400,
  httpTimeoutMs: 5000,
  httpMaxBytes: 1048576,
  tokenCacheMaxEntries: 10000,
  validateTenant: true,
  middlewareDisabled: false,
  groupNamesInTokens: false,
  graphUrl: 'https://graph.microsoft.com',
  groupsCacheTtl: 600,
} as const;

/**
 * Builds and validates the settings from code values and the environment. Throws one
 * {@link ConfigurationError} naming every bad setting by its variable and what is expected.
 */
export function loadSettings(input: SettingsInput = {}, env: Environment = process.env): Settings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => nonEmpty(env[`${ENV_PREFIX}${name}`]);
  const notLists = listsInCodeThatAreNotArrays(input);
  problems.push(...[...notLists].map(([property, problem]) => `${VARIABLES[property]}: ${problem}`));

  const tenantFromPrefixed = read('TENANT_ID');
  const tenantFromEntra = nonEmpty(env.ENTRA_TENANT_ID);
  if (
    input.tenantId === undefined &&
    tenantFromPrefixed !== undefined &&
    tenantFromEntra !== undefined &&
    tenantFromPrefixed.toLowerCase() !== tenantFromEntra.toLowerCase()
  ) {
    problems.push(`${ENV_PREFIX}TENANT_ID and ENTRA_TENANT_ID: both are set, to different tenants; set one`);
  }

  // Audiences set in code replace the environment's: a leftover variable must never widen them.
  const audiencesInCode = input.audiences !== undefined || input.clientId !== undefined;
  // Never spread a string given in code (already reported): "api://x" is not the audiences a, p, i, …
  const audienceIds = audiencesInCode
    ? notLists.has('audiences')
      ? undefined
      : input.audiences
    : list(read('AUDIENCE_ID'));
  const clientId = audiencesInCode ? input.clientId : nonEmpty(env.ENTRA_CLIENT_ID);
  if (
    !audiencesInCode &&
    audienceIds &&
    clientId &&
    !audienceIds.some((id) => id === clientId || id === `api://${clientId}`)
  ) {
    problems.push(`${ENV_PREFIX}AUDIENCE_ID and ENTRA_CLIENT_ID: both are set, to different applications; set one`);
  }

  const values = {
    tenantId: input.tenantId ?? tenantFromPrefixed ?? tenantFromEntra,
    audiences: expandAudiences(audienceIds, clientId, audiencesInCode ? undefined : nonEmpty(env.ENTRA_AUDIENCE)),
    jwksUrlTemplate: input.jwksUrlTemplate ?? read('JWKS_URL_TEMPLATE') ?? DEFAULTS.jwksUrlTemplate,
    signingKeysAppId: input.signingKeysAppId ?? read('SIGNING_KEYS_APP_ID'),
    allowedTenants: input.allowedTenants ?? list(read('ALLOWED_TENANTS')),
    leeway: input.leeway ?? integer(read('LEEWAY')) ?? DEFAULTS.leeway,
    algorithms: input.algorithms ?? list(read('ALGORITHMS')) ?? DEFAULTS.algorithms,
    maxTokenBytes: input.maxTokenBytes ?? integer(read('MAX_TOKEN_BYTES')) ?? DEFAULTS.maxTokenBytes,
    allowAclAuthorization:
      input.allowAclAuthorization ?? boolean(read('ALLOW_ACL_AUTHORIZATION')) ?? DEFAULTS.allowAclAuthorization,
    jwksRefreshInterval:
      input.jwksRefreshInterval ?? integer(read('JWKS_REFRESH_INTERVAL')) ?? DEFAULTS.jwksRefreshInterval,
    jwksCooldown: input.jwksCooldown ?? integer(read('JWKS_COOLDOWN')) ?? DEFAULTS.jwksCooldown,
    jwksStaleMaxAge: input.jwksStaleMaxAge ?? integer(read('JWKS_STALE_MAX_AGE')) ?? DEFAULTS.jwksStaleMaxAge,
    httpTimeoutMs: input.httpTimeoutMs ?? integer(read('HTTP_TIMEOUT_MS')) ?? DEFAULTS.httpTimeoutMs,
    httpMaxBytes: input.httpMaxBytes ?? integer(read('HTTP_MAX_BYTES')) ?? DEFAULTS.httpMaxBytes,
    tokenCacheMaxEntries:
      input.tokenCacheMaxEntries ?? integer(read('TOKEN_CACHE_MAX_ENTRIES')) ?? DEFAULTS.tokenCacheMaxEntries,
    issuer: input.issuer ?? nonEmpty(env.ENTRA_ISSUER),
    validateTenant: input.validateTenant ?? boolean(nonEmpty(env.ENTRA_VALIDATE_TENANT)) ?? DEFAULTS.validateTenant,
    middlewareDisabled:
      input.middlewareDisabled ?? boolean(nonEmpty(env.AUTH_MIDDLEWARE_DISABLED)) ?? DEFAULTS.middlewareDisabled,
    // A copy: the settings freeze their aliases, never the caller's object.
    groupAliases: input.groupAliases ? { ...input.groupAliases } : parseGroupAliases(read('GROUP_ALIASES')),
    groupNamesInTokens:
      input.groupNamesInTokens ?? boolean(read('GROUP_NAMES_IN_TOKENS')) ?? DEFAULTS.groupNamesInTokens,
    clientCredential: clientCredentialFrom(
      input.clientSecret ?? read('CLIENT_SECRET'),
      input.clientCertificatePath ?? read('CLIENT_CERTIFICATE_PATH'),
      problems,
    ),
    graphUrl: (input.graphUrl ?? read('GRAPH_URL') ?? DEFAULTS.graphUrl).replace(/\/+$/, ''),
    groupsCacheTtl: input.groupsCacheTtl ?? integer(read('GROUPS_CACHE_TTL')) ?? DEFAULTS.groupsCacheTtl,
  };

  if (values.middlewareDisabled === true) values.audiences ??= [];
  const settings = Object.assign(new Settings(), values);
  for (const error of validateSync(settings, { forbidUnknownValues: true })) {
    // Already named: a list given in code as something else than an array.
    if (notLists.has(error.property as ListInCode)) continue;
    const variable = VARIABLES[error.property as keyof Settings & string] ?? error.property;
    const expectation = Object.values(error.constraints ?? {})[0] ?? 'invalid value';
    const missing = (values as Record<string, unknown>)[error.property] === undefined;
    problems.push(`${variable}: ${missing ? 'required; ' : ''}${expectation}`);
  }
  problems.push(...crossFieldProblems(settings));
  if (settings.clientCredential && Array.isArray(settings.audiences) && settings.clientId === undefined) {
    problems.push(
      `${VARIABLES.clientCredential}: Graph lookups authenticate as the API, so ${VARIABLES.audiences} must include its application (client) GUID`,
    );
  }
  if (settings.middlewareDisabled === true && (isProduction(env.NODE_ENV) || isProduction(process.env.NODE_ENV))) {
    problems.push(`${VARIABLES.middlewareDisabled}: refused when NODE_ENV=production; it lets every request in`);
  }

  if (problems.length > 0) throw new ConfigurationError(problems);
  if (settings.middlewareDisabled && settings.tenantId === undefined) Object.assign(settings, { tenantId: NIL_GUID });
  for (const list of [settings.audiences, settings.algorithms, settings.allowedTenants]) {
    if (list) Object.freeze(list);
  }
  Object.freeze(settings.groupAliases);
  return Object.freeze(settings);
}

/** The credential, or undefined with a problem (naming the variable, never the value) when unusable. */
function clientCredentialFrom(
  secret: string | undefined,
  certificatePath: string | undefined,
  problems: string[],
): ClientCredential | undefined {
  if (secret !== undefined && certificatePath !== undefined) {
    problems.push(`${VARIABLES.clientCredential}: both are set; set one`);
    return undefined;
  }
  if (secret !== undefined && secret.trim() === '') {
    problems.push(`${ENV_PREFIX}CLIENT_SECRET: expected a non-empty client secret`);
    return undefined;
  }
  if (secret !== undefined) return ClientCredential.fromSecret(secret);
  if (certificatePath === undefined) return undefined;
  try {
    return ClientCredential.fromCertificateFile(certificatePath);
  } catch (error) {
    problems.push(
      `${ENV_PREFIX}CLIENT_CERTIFICATE_PATH: ${(error as Error).message}; expected a PEM file with the RSA private key and its certificate`,
    );
    return undefined;
  }
}

/** Whatever spelling a deployment uses: `Production`, ` production`, `production\n`. */
function isProduction(nodeEnv: string | undefined): boolean {
  return nodeEnv?.trim().toLowerCase() === 'production';
}

type ListInCode = 'audiences' | 'allowedTenants' | 'algorithms';

/**
 * Lists given in code must be arrays: a string would be read character by character, or fail
 * with a message about comma-separated variables. JavaScript callers and casts get past the types.
 * Validation errors of these settings are then left out: this problem names them already.
 */
function listsInCodeThatAreNotArrays(input: SettingsInput): Map<ListInCode, string> {
  const problems = new Map<ListInCode, string>();
  for (const property of ['audiences', 'allowedTenants', 'algorithms'] as const) {
    const value: unknown = input[property];
    if (value === undefined || Array.isArray(value)) continue;
    const got = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    problems.set(property, `expected an array of strings in code (${property}), not ${got}`);
  }
  return problems;
}

function crossFieldProblems(settings: Settings): string[] {
  const problems = keyCacheTimingProblems(settings);
  if (typeof settings.tenantId !== 'string' || !TENANT_PATTERN.test(settings.tenantId)) return problems;
  if (!settings.isMultiTenant) {
    if (settings.allowedTenants !== undefined) {
      problems.push(
        `${VARIABLES.allowedTenants}: only for multi-tenant apps (tenant "common" or "organizations"); a single-tenant app accepts its own tenant only`,
      );
    }
    if (settings.validateTenant === false) {
      problems.push(`${VARIABLES.validateTenant}: "false" (accept any tenant) is refused for a single-tenant app`);
    }
  } else if (settings.validateTenant === false && settings.allowedTenants !== undefined) {
    problems.push(
      `${VARIABLES.validateTenant}: "false" (accept any tenant) contradicts ${VARIABLES.allowedTenants}; remove one`,
    );
  } else if (settings.validateTenant !== false && settings.allowedTenants === undefined) {
    // "Any tenant" is what a multi-tenant SaaS API wants, but it must be said, never a default.
    problems.push(
      `${VARIABLES.allowedTenants}: a multi-tenant app must list the tenant GUIDs it accepts, or set ${VARIABLES.validateTenant}=false to accept any tenant explicitly`,
    );
  }
  return problems;
}

/** Durations that only make sense in one order; checked when each is a valid number on its own. */
function keyCacheTimingProblems(settings: Settings): string[] {
  const { jwksRefreshInterval: refresh, jwksCooldown: cooldown, jwksStaleMaxAge: staleMaxAge } = settings;
  if (![refresh, cooldown, staleMaxAge].every((value) => Number.isInteger(value))) return [];
  const problems: string[] = [];
  if (staleMaxAge < refresh) {
    problems.push(
      `${VARIABLES.jwksStaleMaxAge}: must be at least ${VARIABLES.jwksRefreshInterval} (${refresh}); otherwise held keys expire before they are refreshed`,
    );
  }
  if (cooldown > refresh) {
    problems.push(`${VARIABLES.jwksCooldown}: must not exceed ${VARIABLES.jwksRefreshInterval} (${refresh})`);
  }
  return problems;
}

function expandAudiences(
  configured: readonly string[] | undefined,
  clientId: string | undefined,
  extra: string | undefined,
): readonly string[] | undefined {
  const entries = [...(configured ?? []), ...(clientId ? [clientId] : []), ...(extra ? [extra] : [])];
  if (entries.length === 0) return undefined;
  const expanded = entries.flatMap((entry) => (isGuid(entry) ? [entry, `api://${entry}`] : [entry]));
  return [...new Set(expanded)];
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** A number for digit strings; anything else is kept as the raw string so validation names it. */
function integer(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

function boolean(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const lowered = value.toLowerCase();
  return lowered === 'true' ? true : lowered === 'false' ? false : value;
}
