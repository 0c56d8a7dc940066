import type { HttpClient, HttpPostBody, HttpRequestOptions, HttpResponse } from '../core/http-client';
import { errorCode } from './error-kind';

/** One request the CLI made, as the diagnosis needs it: never a body that may hold a token. */
export interface HttpExchange {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** The status, or undefined when the request failed. */
  readonly status: number | undefined;
  /** The HttpClient's failure code (`timeout`, `network_error`, `too_large`) when it failed. */
  readonly failure: string | undefined;
  /** The response's `Date` header, the authority's clock. */
  readonly date: string | undefined;
  /** The clock's time when the answer arrived, in milliseconds. */
  readonly receivedAt: number;
  /** Real time the request took. */
  readonly elapsedMs: number;
  /** The Entra error code of a refusal (`AADSTS90002`), read from a non-200 body. */
  readonly aadsts: string | undefined;
  /** Graph's error code of a refusal (`Authorization_RequestDenied`). */
  readonly graphError: string | undefined;
}

/**
 * The app's HttpClient, with every exchange recorded, so that a diagnosis can name what the
 * library's own code only reports as a failure code: Entra's AADSTS code, the `Date` header, the
 * time taken. Bodies of successful answers (app tokens among them) are never kept.
 */
export class RecordingHttpClient implements HttpClient {
  readonly exchanges: HttpExchange[] = [];
  readonly post?: HttpClient['post'];

  constructor(
    private readonly inner: HttpClient,
    private readonly now: () => number,
  ) {
    const post = inner.post?.bind(inner);
    if (post) {
      this.post = (url: string, body: HttpPostBody, options: HttpRequestOptions) =>
        this.record('POST', url, () => post(url, body, options));
    }
  }

  get(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
    return this.record('GET', url, () => this.inner.get(url, options));
  }

  /** The last exchange with a URL that starts with `prefix`. */
  last(prefix: string): HttpExchange | undefined {
    return [...this.exchanges].reverse().find((exchange) => exchange.url.startsWith(prefix));
  }

  private async record(method: 'GET' | 'POST', url: string, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
    const started = performance.now();
    const base = { method, url };
    try {
      const response = await send();
      const dateHeader = response.headers?.date;
      const refusal = response.status === 200 ? undefined : response.body.subarray(0, 8192).toString('utf8');
      this.exchanges.push({
        ...base,
        status: response.status,
        failure: undefined,
        date: Array.isArray(dateHeader) ? dateHeader[0] : dateHeader,
        receivedAt: this.now(),
        elapsedMs: performance.now() - started,
        aadsts: refusal === undefined ? undefined : /\bAADSTS\d+/.exec(refusal)?.[0],
        graphError: refusal === undefined ? undefined : graphErrorCode(refusal),
      });
      return response;
    } catch (error) {
      this.exchanges.push({
        ...base,
        status: undefined,
        // An app's own HttpClient may throw anything: only a code that is an identifier is kept.
        failure: errorCode(error) ?? 'network_error',
        date: undefined,
        receivedAt: this.now(),
        elapsedMs: performance.now() - started,
        aadsts: undefined,
        graphError: undefined,
      });
      throw error;
    }
  }
}

function graphErrorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Za-z_]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
