import type { Requirement } from '../core/authorization/authorization';

/**
 * What each guard requires, kept beside the guard function because routing-controllers' metadata
 * holds only the function: startup checks read it to report a group name no alias resolves.
 */
const requirementsByGuard = new WeakMap<Function, readonly Requirement[]>();

export function rememberGuardRequirements<G extends Function>(guard: G, requirements: readonly Requirement[]): G {
  requirementsByGuard.set(guard, requirements);
  return guard;
}

export function guardRequirementsOf(middleware: Function): readonly Requirement[] {
  return requirementsByGuard.get(middleware) ?? [];
}

/** Whether the middleware is one of this library's guards (`requireUser()` included, which requires nothing more). */
export function isGuard(middleware: Function): boolean {
  return requirementsByGuard.has(middleware);
}
