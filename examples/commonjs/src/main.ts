import 'reflect-metadata';
import { container } from 'tsyringe';
import { ConfigurationError, JwksCache, registerEntraAuth } from 'entra-auth-middleware';
import { createApp } from './app';

try {
  // Settings from the environment: ENTRA_TENANT_ID, ENTRA_CLIENT_ID, and for @Authorized(['Administrators'])
  // AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES=Administrators=<the group's object id>.
  const appContainer = registerEntraAuth(container.createChildContainer());
  const port = Number(process.env.PORT ?? 3000);
  const server = createApp(appContainer).listen(port, () => console.log(`listening on http://localhost:${port}`));
  process.once('SIGTERM', () => {
    appContainer.resolve(JwksCache).close();
    server.close();
  });
} catch (error) {
  // A ConfigurationError names every bad setting (or the missing tsconfig flags) and what to do.
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
