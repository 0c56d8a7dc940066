import Koa from 'koa';
import { Authorized, Get, JsonController } from 'routing-controllers';
// #region graph-groups
import { Lifecycle, container } from 'tsyringe';
import { GraphGroupsProvider, GroupsProvider, registerEntraAuth } from 'entra-auth-middleware';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
// #endregion

@JsonController('/admin')
class AdminController {
  @Authorized(['Administrators'])
  @Get('/users')
  users() {
    return [];
  }
}

const app = new Koa();
// #region graph-groups
// AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES=Administrators=02b919c6-38a0-4002-8615-b80dc502181f
// AUTH_PROVIDER_AZURE_ENTRA_ID_CLIENT_SECRET=…   (or CLIENT_CERTIFICATE_PATH=/run/secrets/api.pem)
const appContainer = registerEntraAuth(container.createChildContainer());
// One instance per container: it caches app tokens and memberships.
appContainer.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
useEntraAuth(app, appContainer, { controllers: [AdminController] }); // @Authorized(['Administrators'])
// #endregion graph-groups

export { app };
