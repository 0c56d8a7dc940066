import type { Context, Next } from 'koa';
import {
  authorize,
  contradictionIn,
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
function guardFor(kind: RequirementKind, values: readonly string[], name = `require${capitalized(kind)}s`): Guard {
  return guardOf(
    name,
    `require ${kind}s`,
    values.map((value) => `${kind}:${value}`),
    `give at least one ${kind}`,
  );
}

/** `name`: the factory, as the OpenAPI document names it; `prefix`: how its problems begin. */
function guardOf(name: string, prefix: string, entries: readonly string[], whenEmpty: string): Guard {
  if (entries.length === 0) throw new ConfigurationError([`${prefix}: ${whenEmpty}`]);
  const requirements = entries.map((entry) => {
    const parsed = typeof entry === 'string' ? parseRequirement(entry) : `${String(entry)}: not a string`;
    if (typeof parsed === 'string') throw new ConfigurationError([`${prefix}: ${parsed}`]);
    return parsed;
  });
  const contradiction = contradictionIn(requirements);
  if (contradiction) throw new ConfigurationError([`${prefix}: ${contradiction}, so it admits nobody`]);
  return rememberGuardRequirements(guard(requirements), requirements, name);
}

function capitalized(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
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

/**
 * Step-up: ALL of the Conditional Access authentication contexts (`c1` … `c99`) in the token's
 * `acrs`; a token without one is answered 401 with a claims challenge for it.
 */
export function requireAuthContext(contexts: readonly string[]): Guard {
  return guardFor('authContext', contexts, 'requireAuthContext');
}

/**
 * An `@Authorized([...])` list as a guard: every condition (`authContext:`, `app:`, `guest:`) and
 * ANY of the grants (groups, `role:`, `scope:`, `permission:`).
 */
export function requireAuthorized(entries: readonly string[]): Guard {
  return guardOf(
    'requireAuthorized',
    'requireAuthorized',
    entries,
    'give at least one entry (requireUser() admits any verified caller)',
  );
}
