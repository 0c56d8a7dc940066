import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ConfigurationError } from '../core/errors';

/** A service a user may replace, with the name messages give it. */
export interface ReplaceableService {
  readonly token: InjectionToken<unknown>;
  readonly name: string;
}

/**
 * Once `builtBy` is resolved from the container, it holds the services it was built with: a
 * registration of one of them made afterwards would change nothing, silently. From then on such a
 * registration throws a ConfigurationError saying where it belongs, instead of being ignored.
 */
export function refuseLateRegistrations(
  container: DependencyContainer,
  builtBy: InjectionToken<unknown> & { readonly name: string },
  services: readonly ReplaceableService[],
): void {
  container.afterResolution(
    builtBy,
    () => {
      const register = container.register.bind(container) as (...args: unknown[]) => DependencyContainer;
      // The instance's own register shadows the prototype's; tsyringe's registerSingleton,
      // registerInstance and registerType all go through it.
      Object.defineProperty(container, 'register', {
        configurable: true,
        writable: true,
        value: (...args: unknown[]): DependencyContainer => {
          const late = services.find((service) => service.token === args[0]);
          if (late) {
            throw new ConfigurationError([
              `${late.name} was registered after this container built ${builtBy.name} (useEntraAuth builds it), which keeps the ${late.name} registered before, so the new one would be ignored: register it after registerEntraAuth and before useEntraAuth`,
            ]);
          }
          return register(...args);
        },
      });
    },
    { frequency: 'Once' },
  );
}
