import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
// #region http-proxy
import { HttpsProxyAgent } from 'https-proxy-agent';
import { HttpClient, NodeHttpClient } from 'entra-auth-middleware';
// #endregion

const appContainer = registerEntraAuth(container.createChildContainer());
// #region http-proxy
// Before useEntraAuth. Node's fetch ignores HTTPS_PROXY; NodeHttpClient takes an agent (or `ca` for a custom CA).
appContainer.register(HttpClient, {
  useValue: new NodeHttpClient({ agent: new HttpsProxyAgent(process.env.HTTPS_PROXY ?? 'http://proxy.internal:3128') }),
});
// #endregion http-proxy
