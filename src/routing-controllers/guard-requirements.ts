import type { Requirement } from '../core/authorization/authorization';

/** One of this library's guards as startup checks and the OpenAPI document read it. */
export interface GuardDescription {
  /** The factory that made it: `requireGroups`, `requireUser`… */
  readonly name: string;
  /** ANY of these passes; none means any verified caller. */
  readonly requirements: readonly Requirement[];
}

/**
 * What each guard requires, kept beside the guard function because routing-controllers' metadata
 * holds only the function: startup checks read it to report a group name no alias resolves, and
 * the OpenAPI document to state what the route accepts.
 */
const guards = new WeakMap<Function, GuardDescription>();

export function rememberGuardRequirements<G extends Function>(
  guard: G,
  requirements: readonly Requirement[],
  name = 'a guard of entra-auth-middleware',
): G {
  guards.set(guard, { name, requirements });
  return guard;
}

export function guardRequirementsOf(middleware: Function): readonly Requirement[] {
  return guards.get(middleware)?.requirements ?? [];
}

/** The guard's description, or `undefined` for middleware this library did not make. */
export function describedGuard(middleware: Function): GuardDescription | undefined {
  return guards.get(middleware);
}
