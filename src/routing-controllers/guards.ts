import type { Context, Next } from 'koa';
import {
  authorize,
  parseRequirement,
  type Requirement,
  type RequirementKind,
} from '../core/authorization/authorization';
import { ConfigurationError } from '../core/errors';
import type { EntraAuthState } from '../koa/jwt-auth-middleware';
import { telemetryOf } from './app-telemetry';
import { rememberGuardRequirements } from './guard-requirements';

export type Guard = (ctx: Context, next: Next) => Promise<void>;

function guard(requirements: readonly Requirement[]): Guard {
  return async (ctx, next) => {
    const telemetry = telemetryOf(ctx);
    try {
      await authorize((ctx.state as EntraAuthState).currentUser, requirements);
    } catch (error) {
      telemetry.authorizationDenied(error);
      throw error;
    }
    telemetry.authorizationGranted();
    await next();
  };
}

/** Decorators run when the class is defined: a bad value fails the start, not a request. */
function guardFor(kind: RequirementKind, values: readonly string[]): Guard {
  if (values.length === 0) throw new ConfigurationError([`require ${kind}s: give at least one ${kind}`]);
  const requirements = values.map((value) => {
    const parsed = parseRequirement(`${kind}:${value}`);
    if (typeof parsed === 'string') throw new ConfigurationError([`require ${kind}s: ${parsed}`]);
    return parsed;
  });
  const name = `require${kind.charAt(0).toUpperCase()}${kind.slice(1)}s`;
  return rememberGuardRequirements(guard(requirements), requirements, name);
}

/** For `@UseBefore(requireUser())`: any verified caller. */
export function requireUser(): Guard {
  return rememberGuardRequirements(guard([]), [], 'requireUser');
}

/** A member of ANY of the groups (object ids, or names where the tenant emits names). */
export function requireGroups(groups: readonly string[]): Guard {
  return guardFor('group', groups);
}

/** ANY of the app roles (`roles` claim). */
export function requireRoles(roles: readonly string[]): Guard {
  return guardFor('role', roles);
}

/** ANY of the delegated scopes (`scp` claim); refusal is 403 `insufficient_scope`. */
export function requireScopes(scopes: readonly string[]): Guard {
  return guardFor('scope', scopes);
}

/** ANY of the permissions the permissions provider grants. */
export function requirePermissions(permissions: readonly string[]): Guard {
  return guardFor('permission', permissions);
}
