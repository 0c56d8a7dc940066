import Koa from 'koa';
import type { DependencyContainer } from 'tsyringe';
import { GroupsProvider } from 'entra-auth-middleware';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
import { DirectoryGroupsProvider } from './directory-groups-provider.js';
import { OrdersController } from './orders-controller.js';

/** The API on a container that registerEntraAuth prepared (with groupNamesInTokens: true). */
export function createApp(appContainer: DependencyContainer): Koa {
  appContainer.register(GroupsProvider, { useClass: DirectoryGroupsProvider });
  const app = new Koa();
  useEntraAuth(app, appContainer, { controllers: [OrdersController] });
  return app;
}
