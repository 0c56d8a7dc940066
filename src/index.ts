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
export { GraphGroupsProvider } from './core/graph-groups-provider';
export { ClientCredential } from './core/client-credential';
export type { GroupAliases } from './core/group-aliases';
export {
  HttpClient,
  HttpRequestError,
  NodeHttpClient,
  type HttpGetOptions,
  type HttpPostBody,
  type HttpResponse,
  type NodeHttpClientOptions,
} from './core/http-client';
export { JwksCache, type JwksCacheHealth, type OpenIdConfig } from './core/jwks-cache';
export type { JwksCacheEventName, JwksCacheEvents, JwksCacheListener } from './core/jwks-cache-events';
export type { KeySetFailure } from './core/key-set-fetcher';
export type { KeySetHealth } from './core/key-source';
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
export { authorize, parseRequirement, type Requirement, type RequirementKind } from './core/authorization';
export { registerEntraAuth, type RegisterEntraAuthOptions } from './container/register-entra-auth';
export { JwtAuthMiddleware, type EntraAuthState } from './koa/jwt-auth-middleware';
export { writeAuthErrorResponse } from './koa/error-response';
export { authorizationChecker, currentUserChecker } from './routing-controllers/checkers';
export {
  requireGroups,
  requirePermissions,
  requireRoles,
  requireScopes,
  requireUser,
  type Guard,
} from './routing-controllers/guards';
export { TsyringeIocAdapter } from './routing-controllers/tsyringe-ioc-adapter';
export { useEntraAuth, type EntraAuthRoutingOptions } from './routing-controllers/use-entra-auth';
export { validateAuthorizedRoutes } from './routing-controllers/authorized-routes';
