import * as http from 'node:http';
import * as https from 'node:https';
import type { InjectionToken } from 'tsyringe';

export interface HttpRequestOptions {
  /** Total time for the request, headers and body together. */
  readonly timeoutMs: number;
  /** The body is read as a stream and the request aborted as soon as it grows past this. */
  readonly maxBytes: number;
  /** Extra request headers (Graph's `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: Buffer;
  /** Response headers, lowercase names (Graph's `Retry-After`). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** A form POST (the token endpoint's `application/x-www-form-urlencoded` body). */
export interface HttpPostBody {
  readonly contentType: string;
  readonly content: string;
}

/** Why a request failed, as a stable code for logs and health reports (never a URL with secrets). */
export type HttpFailureCode = 'timeout' | 'too_large' | 'network_error';

export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';

  constructor(readonly code: HttpFailureCode) {
    super(`HTTP request failed: ${code}`);
  }
}

/**
 * How the key cache and Graph lookups reach the network. Injectable because Node's
 * `fetch` ignores `HTTPS_PROXY` and custom CAs are common in corporate networks.
 * Implementations must not follow redirects: a 3xx is returned as is.
 */
export interface HttpClient {
  get(url: string, options: HttpRequestOptions): Promise<HttpResponse>;
  /** Needed only for Graph group lookups (the app token request); checked when those are set up. */
  post?(url: string, body: HttpPostBody, options: HttpRequestOptions): Promise<HttpResponse>;
}

export const HttpClient: InjectionToken<HttpClient> = Symbol('HttpClient');

export interface NodeHttpClientOptions {
  /** For proxies or connection pooling; used for both http: and https: URLs. */
  readonly agent?: http.Agent;
  /** Extra trusted CA certificates (PEM) for https: URLs. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
}

/** The default client: node:http(s), no redirects, a total deadline and a streamed size cap. */
export class NodeHttpClient implements HttpClient {
  constructor(private readonly options: NodeHttpClientOptions = {}) {}

  get(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
    return this.send('GET', url, undefined, options);
  }

  post(url: string, body: HttpPostBody, options: HttpRequestOptions): Promise<HttpResponse> {
    return this.send('POST', url, body, options);
  }

  private send(
    method: 'GET' | 'POST',
    url: string,
    body: HttpPostBody | undefined,
    { timeoutMs, maxBytes, headers = {} }: HttpRequestOptions,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      const chunks: Buffer[] = [];
      let received = 0;
      let settled = false;

      const fail = (code: HttpFailureCode): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        request.destroy();
        reject(new HttpRequestError(code));
      };

      const request = transport.request(
        target,
        {
          method,
          headers: {
            accept: 'application/json',
            ...headers,
            ...(body
              ? { 'content-type': body.contentType, 'content-length': String(Buffer.byteLength(body.content)) }
              : {}),
          },
          ...(this.options.agent ? { agent: this.options.agent } : {}),
          ...(this.options.ca && target.protocol === 'https:' ? { ca: this.options.ca as never } : {}),
        },
        (response) => {
          const declared = Number(response.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) return fail('too_large');
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > maxBytes) return fail('too_large');
            chunks.push(chunk);
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(deadline);
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), headers: response.headers });
          });
          response.on('error', () => fail('network_error'));
          response.on('aborted', () => fail('network_error'));
        },
      );
      // A real-time deadline, not the injected clock: it bounds I/O, not token lifetimes.
      const deadline = setTimeout(() => fail('timeout'), timeoutMs);
      deadline.unref();
      request.on('error', () => fail('network_error'));
      request.end(body?.content);
    });
  }
}
