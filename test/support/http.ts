import * as http from 'node:http';

export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: any;
}

/** A GET with full control of headers (two Authorization headers included), over real HTTP. */
export function get(
  url: string,
  headers: Record<string, string | string[]> = {},
  agent: http.Agent | false = false,
): Promise<HttpResult> {
  return send('GET', url, headers, undefined, agent);
}

/** A form POST (the token endpoint's grants), over real HTTP, with any extra headers (Origin, Basic credentials). */
export function postForm(
  url: string,
  form: Record<string, string>,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResult> {
  const body = new URLSearchParams(form).toString();
  const headers = {
    ...extraHeaders,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(body)),
  };
  return send('POST', url, headers, body, false);
}

/** A CORS preflight as a browser sends it before a cross-origin POST. */
export function preflight(url: string, headers: Record<string, string>): Promise<HttpResult> {
  return send('OPTIONS', url, headers, undefined, false);
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function send(
  method: 'GET' | 'POST' | 'OPTIONS',
  url: string,
  headers: Record<string, string | string[]>,
  body: string | undefined,
  agent: http.Agent | false,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
