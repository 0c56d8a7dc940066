import type Koa from 'koa';
import type { Action, ClassConstructor, IocAdapter } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';

/** Where {@link useEntraAuth} records an app's container on its Koa context prototype. */
export const APP_CONTAINER: unique symbol = Symbol('entra-auth-middleware:container');

type ContextWithContainer = { [APP_CONTAINER]?: DependencyContainer };

/**
 * routing-controllers' `useContainer()` is process-global, so with two apps alive the last adapter
 * would serve both. This one resolves controllers from the container of the app that received the
 * request, and falls back to its own where routing-controllers passes no action (middlewares).
 */
export class TsyringeIocAdapter implements IocAdapter {
  constructor(private readonly container: DependencyContainer) {}

  get<T>(someClass: ClassConstructor<T>, action?: Action): T {
    const context = action?.context as ContextWithContainer | undefined;
    return (context?.[APP_CONTAINER] ?? this.container).resolve<T>(someClass);
  }
}

export function bindContainerToApp(app: Koa, container: DependencyContainer): void {
  (app.context as ContextWithContainer)[APP_CONTAINER] = container;
}
