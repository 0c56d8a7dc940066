import Koa from 'koa';
import type { DependencyContainer } from 'tsyringe';
import { PermissionsProvider } from 'entra-auth-middleware';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
import { AdminController, ProfileController, ReportsController } from './controllers';
import { RolePermissionsProvider } from './role-permissions-provider';

/** The API on a container that registerEntraAuth prepared: main.ts from the environment, the tests for the emulator. */
export function createApp(appContainer: DependencyContainer): Koa {
  // Custom providers are registered after registerEntraAuth and before useEntraAuth.
  appContainer.register(PermissionsProvider, { useClass: RolePermissionsProvider });
  const app = new Koa();
  // useKoaServer, plus the token middleware, @Authorized / @CurrentUser and controllers from appContainer.
  useEntraAuth(app, appContainer, { controllers: [ProfileController, AdminController, ReportsController] });
  return app;
}
