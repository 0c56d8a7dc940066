import type { Action } from 'routing-controllers';
import { authorize, type Requirement } from '../core/authorization/authorization';
import type { EntraIdUser } from '../core/authorization/entra-id-user';
import { AuthorizationException } from '../core/errors';
import type { EntraAuthState } from '../koa/jwt-auth-middleware';
import { telemetryOf } from './app-telemetry';
import { requirementsOf } from './authorized-routes';

/**
 * routing-controllers hands the checker the same roles array of a route on every request: each
 * list is read once, not on every request.
 */
const requirementsByList = new WeakMap<readonly unknown[], Requirement[] | undefined>();

function requirementsFor(roles: readonly unknown[]): Requirement[] | undefined {
  if (!requirementsByList.has(roles)) requirementsByList.set(roles, requirementsOf(roles));
  return requirementsByList.get(roles);
}

function userOf(action: Action): EntraIdUser | undefined {
  return (action.context?.state as EntraAuthState | undefined)?.currentUser;
}

/**
 * routing-controllers' `authorizationChecker`: the user that JwtAuthMiddleware verified (never a
 * second verification), holding ANY of the roles. It throws the refusal rather than returning
 * false, because routing-controllers answers `false` with 403 even when no token was sent.
 */
export async function authorizationChecker(action: Action, roles: unknown[]): Promise<boolean> {
  const telemetry = telemetryOf(action.context);
  try {
    const user = userOf(action);
    const requirements = requirementsFor(roles);
    // An anonymous caller is told to authenticate first, whatever the route's list holds.
    if (user && !requirements) throw new AuthorizationException('insufficient_roles');
    await authorize(user, requirements ?? []);
  } catch (error) {
    telemetry.authorizationDenied(error);
    throw error;
  }
  telemetry.authorizationGranted();
  return true;
}

/** routing-controllers' `currentUserChecker`: what `@CurrentUser()` receives. */
export function currentUserChecker(action: Action): EntraIdUser | undefined {
  return userOf(action);
}
