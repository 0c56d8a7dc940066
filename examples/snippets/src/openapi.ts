import Koa from 'koa';
import { Authorized, Get, JsonController, getMetadataArgsStorage } from 'routing-controllers';
import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
// #region openapi
import { routingControllersToSpec } from 'routing-controllers-openapi';
import { entraSecurity, serveSwaggerUi } from 'entra-auth-middleware/openapi';
// #endregion

@JsonController('/reports')
class ReportsController {
  @Authorized(['scope:Reports.Read'])
  @Get('/')
  list() {
    return [];
  }
}

const appContainer = registerEntraAuth(container.createChildContainer());
const app = new Koa();
const options = { controllers: [ReportsController] };

// #region openapi
const spec = routingControllersToSpec(getMetadataArgsStorage(), options, { info: { title: 'My API', version: '1' } });
const document = entraSecurity(appContainer, options).addTo(spec); // options: what useEntraAuth gets
app.use(serveSwaggerUi(document, { clientId: '<SPA application id>' })); // GET /openapi.json and /docs
// #endregion
useEntraAuth(app, appContainer, options);

export { app };
