import { getMetadataArgsStorage } from 'routing-controllers';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigurationError } from '../core/errors';

/** What to do about it, in every message: the two tsconfig flags, and a compiler that honours them. */
const FLAGS =
  'compile with "experimentalDecorators": true and "emitDecoratorMetadata": true in tsconfig.json, with tsc (esbuild, tsx and swc without its decorator metadata option emit none)';

/** tsyringe keeps `@inject()` tokens under this metadata key, by parameter index. */
const INJECTION_TOKENS = 'injectionTokens';

/**
 * Problems that mean the app was compiled without the decorator flags, found before it serves:
 * without `experimentalDecorators`, TypeScript runs routing-controllers' decorators as standard
 * decorators, which record no route for the class (every route answers 404); without
 * `emitDecoratorMetadata`, a class with constructor parameters carries no `design:paramtypes`, and
 * tsyringe cannot build it ("TypeInfo not known") on the first request.
 */
export function decoratorMetadataProblems(controllers: readonly Function[]): string[] {
  const routedTargets = new Set(getMetadataArgsStorage().actions.map((action) => action.target));
  const problems: string[] = [];
  for (const controller of controllers) {
    if (!hasRoutes(controller, routedTargets)) {
      problems.push(
        `${controller.name} has no routes in routing-controllers' metadata (every request to it would answer 404): its route decorators did not run as TypeScript's legacy decorators; ${FLAGS}`,
      );
    } else if (lacksParameterTypes(controller)) {
      problems.push(
        `${controller.name} takes constructor parameters but carries no design:paramtypes metadata, so tsyringe cannot build it; ${FLAGS}`,
      );
    }
  }
  return problems;
}

/**
 * Resolves a token at startup, turning tsyringe's "TypeInfo not known" (a class registered with
 * `useClass` and compiled without decorator metadata) into a ConfigurationError naming the flags.
 */
export function resolveAtStartup<T>(container: DependencyContainer, token: InjectionToken<T>): T {
  try {
    return container.resolve(token);
  } catch (error) {
    const unknown = error instanceof Error ? /TypeInfo not known for "([^"]*)"/.exec(error.message) : null;
    if (!unknown) throw error;
    throw new ConfigurationError([
      `${unknown[1]} takes constructor parameters but tsyringe knows none of their types (no @injectable(), or no design:paramtypes metadata); decorate it with @injectable() and ${FLAGS}`,
    ]);
  }
}

/** Routes of its own or inherited from a base class. */
function hasRoutes(controller: Function, routedTargets: ReadonlySet<Function>): boolean {
  for (
    let target: unknown = controller;
    typeof target === 'function' && target !== Function.prototype;
    target = Object.getPrototypeOf(target)
  ) {
    if (routedTargets.has(target)) return true;
  }
  return false;
}

/** Constructor parameters that neither `design:paramtypes` nor an `@inject()` token types. */
function lacksParameterTypes(controller: Function): boolean {
  if (controller.length === 0 || Reflect.getMetadata('design:paramtypes', controller) !== undefined) return false;
  const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS, controller) ?? {}) as Record<number, unknown>;
  return Array.from({ length: controller.length }, (_, index) => index).some((index) => !(index in tokens));
}
