// An app module that exports its container: settings given in code (from SAMPLE_API_* variables,
// which the library does not read) and its own HttpClient, which appends each URL it fetches to
// the file SAMPLE_API_REQUEST_LOG, so a test can see that the CLI went through it.
import { appendFileSync } from 'node:fs';
import { container as rootContainer } from 'tsyringe';
import {
  HttpClient,
  NodeHttpClient,
  registerEntraAuth,
  type HttpPostBody,
  type HttpRequestOptions,
  type HttpResponse,
} from '../../../src';

class LoggingHttpClient implements HttpClient {
  private readonly inner = new NodeHttpClient();

  get(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
    appendFileSync(process.env.SAMPLE_API_REQUEST_LOG!, `GET ${url}\n`);
    return this.inner.get(url, options);
  }

  post(url: string, body: HttpPostBody, options: HttpRequestOptions): Promise<HttpResponse> {
    appendFileSync(process.env.SAMPLE_API_REQUEST_LOG!, `POST ${url}\n`);
    return this.inner.post(url, body, options);
  }
}

export const container = registerEntraAuth(rootContainer.createChildContainer(), {
  settings: {
    tenantId: process.env.SAMPLE_API_TENANT,
    clientId: process.env.SAMPLE_API_CLIENT_ID,
    jwksUrlTemplate: process.env.SAMPLE_API_JWKS_URL_TEMPLATE,
  },
  env: {},
});
container.register(HttpClient, { useValue: new LoggingHttpClient() });
