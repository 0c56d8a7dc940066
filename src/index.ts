// `entra-auth-middleware`: the framework-free core and the composition root. Adapters live in
// their own entry points (`/koa`, `/routing-controllers`), so this one loads no web framework.
export { readBearerToken } from './core/token/bearer-token';
export type { EntraIdClaims } from './core/token/claims';
export { Clock, SystemClock, type ScheduledTask } from './core/clock';
export { EntraIdProvider } from './core/token/entra-id-provider';
export { ACCEPTANCE_RULES, type AcceptanceRule, type RuleTrace } from './core/token/acceptance-rules';
export type { VerifiedAccessToken } from './core/token/verified-access-token';
export { EntraIdUser } from './core/authorization/entra-id-user';
export type { AuthorizationPolicy } from './core/authorization/authorization-policy';
export {
  AuthorizationException,
  ClaimsChallengeException,
  ConfigurationError,
  EntraAuthError,
  InvalidTokenException,
  MissingTokenException,
  TemporarilyUnavailableException,
  describeReason,
  type AuthorizationReasonCode,
  type ReasonCode,
  type TokenReasonCode,
  type UnavailableReasonCode,
  type AuthParam,
  type ClaimsChallengeAuthority,
  type ClaimsChallengeReasonCode,
} from './core/errors';
export {
  authErrorResponse,
  errorResponse,
  type ErrorResponse,
  type ErrorResponseBody,
  type ErrorResponseOptions,
} from './core/error-response';
export { ClaimsGroupsProvider, GroupsProvider } from './core/authorization/groups-provider';
export { GraphGroupsProvider } from './core/graph/graph-groups-provider';
export { ClientCredential } from './core/graph/client-credential';
export type { GroupAliases } from './core/authorization/group-aliases';
export {
  HttpClient,
  HttpRequestError,
  NodeHttpClient,
  type HttpRequestOptions,
  type HttpPostBody,
  type HttpResponse,
  type NodeHttpClientOptions,
} from './core/http-client';
export { JwksCache, type JwksCacheHealth, type OpenIdConfig } from './core/keys/jwks-cache';
export type { JwksCacheEventName, JwksCacheEvents, JwksCacheListener } from './core/keys/jwks-cache-events';
export type { KeySetFailure } from './core/keys/key-set-fetcher';
export type { KeySetHealth } from './core/keys/key-source';
export { ClaimsPermissionsProvider, PermissionsProvider } from './core/authorization/permissions-provider';
export {
  RSA_ALGORITHMS,
  Settings,
  type RsaAlgorithm,
  type SettingsInput,
  type TokenVersion,
} from './core/settings/settings';
export { loadSettings } from './core/settings/settings-loader';
export { describeSettings, type SettingDescription } from './core/settings/describe-settings';
export type { SigningKey } from './core/keys/signing-key';
export {
  authorize,
  parseRequirement,
  type Requirement,
  type RequirementKind,
} from './core/authorization/authorization';
export { registerEntraAuth, type RegisterEntraAuthOptions } from './container/register-entra-auth';
export {
  PROTECTED_RESOURCE_WELL_KNOWN,
  protectedResourceMetadata,
  resourceMetadataUrl,
  type ProtectedResourceMetadataOptions,
} from './core/resource-metadata/protected-resource-metadata';
export { Logger, type LogFields } from './core/telemetry/logger';
export { ProcessWarningLogger } from './core/telemetry/process-warning-logger';
export type { TelemetryOptions } from './core/telemetry/create-telemetry';
export {
  SharedStore,
  MAX_STORE_VALUE_BYTES,
  type LockOutcome,
  type SharedStoreHealth,
  type StoreFailure,
  type StoreSubscriber,
  type StoreSubscription,
} from './core/store/shared-store';
export { InMemorySharedStore } from './core/store/in-memory-shared-store';
export { RedisSharedStore } from './core/store/redis-shared-store';
export { RedisConnection } from './core/store/redis-connection';
export { StoreUnavailableError } from './core/store/store-unavailable-error';
export { RevocationList, type RevocationListHealth } from './core/revocation/revocation-list';
export type { Revocation } from './core/revocation/revocation';
