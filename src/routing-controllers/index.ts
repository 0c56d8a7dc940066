// `entra-auth-middleware/routing-controllers`: `@Authorized` / `@CurrentUser` checkers, guards,
// the tsyringe IoC adapter and `useEntraAuth`.
export { authorizationChecker, currentUserChecker } from './checkers';
export {
  requireAuthContext,
  requireAuthorized,
  requireGroups,
  requirePermissions,
  requireRoles,
  requireScopes,
  requireUser,
  type Guard,
} from './guards';
export { TsyringeIocAdapter } from './tsyringe-ioc-adapter';
export { useEntraAuth, type EntraAuthRoutingOptions } from './use-entra-auth';
export { validateAuthorizedRoutes } from './authorized-routes';
