export { readBearerToken } from './core/bearer-token';
export type { EntraIdClaims } from './core/claims';
export { Clock, SystemClock, type ScheduledTask } from './core/clock';
export { EntraIdProvider, type VerifiedAccessToken } from './core/entra-id-provider';
export { EntraIdUser } from './core/entra-id-user';
export {
  AuthorizationException,
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
} from './core/errors';
export { ClaimsGroupsProvider, GroupsProvider } from './core/groups-provider';
export {
  HttpClient,
  HttpRequestError,
  NodeHttpClient,
  type HttpGetOptions,
  type HttpResponse,
  type NodeHttpClientOptions,
} from './core/http-client';
export { JwksCache, type OpenIdConfig } from './core/jwks-cache';
export { ClaimsPermissionsProvider, PermissionsProvider } from './core/permissions-provider';
export {
  RSA_ALGORITHMS,
  Settings,
  loadSettings,
  type RsaAlgorithm,
  type SettingsInput,
  type TokenVersion,
} from './core/settings';
export type { SigningKey } from './core/signing-key';
