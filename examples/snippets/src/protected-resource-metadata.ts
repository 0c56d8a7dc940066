import Koa from 'koa';
import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
// #region protected-resource-metadata
import { serveProtectedResourceMetadata } from 'entra-auth-middleware/koa';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
// #endregion
import { JobsController } from './caller-apps';

const app = new Koa();
const controllers = [JobsController];
// #region protected-resource-metadata
// AUTH_PROVIDER_AZURE_ENTRA_ID_RESOURCE_URL=https://api.contoso.com
const appContainer = registerEntraAuth(container.createChildContainer());
app.use(
  serveProtectedResourceMetadata(appContainer, {
    scopesSupported: ['api://<client-id>/access_as_user'], // what clients request from Entra
    resourceName: 'Contoso API',
  }),
);
useEntraAuth(app, appContainer, { controllers }); // after it: the document is public
// #endregion protected-resource-metadata

export { app };
