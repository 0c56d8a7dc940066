import 'reflect-metadata';
import { once } from 'node:events';
import { container } from 'tsyringe';
import { ConfigurationError, JwksCache, registerEntraAuth } from 'entra-auth-middleware';
import { createApp } from './app.js';

try {
  // Tenant and client id from the environment (ENTRA_TENANT_ID, ENTRA_CLIENT_ID); the rest in code.
  const appContainer = registerEntraAuth(container.createChildContainer(), { settings: { groupNamesInTokens: true } });
  const port = Number(process.env.PORT ?? 3000);
  const server = createApp(appContainer).listen(port);
  await once(server, 'listening'); // top-level await: this is an ES module
  console.log(`listening on http://localhost:${port}`);
  process.once('SIGTERM', () => {
    appContainer.resolve(JwksCache).close();
    server.close();
  });
} catch (error) {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
}
