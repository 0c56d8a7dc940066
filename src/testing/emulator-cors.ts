// Entra's token endpoint answers cross-origin requests of single-page applications (Swagger UI's
// code exchange is one). The emulator answers those of pages on loopback hosts, the only pages
// that can sign in with it.
import type * as http from 'node:http';
import { isLoopbackHost } from '../core/settings/authority-url';
import { sendBody, type BytesWritten } from './emulator-responses';

/** `Access-Control-Allow-Origin` for a loopback page's origin; none for any other or none sent. */
export function corsHeadersFor(origin: string | undefined): Record<string, string> {
  if (origin === undefined || !URL.canParse(origin)) return {};
  const url = new URL(origin);
  const loopbackPage = (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  return loopbackPage && url.origin === origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
}

/** The answer to a CORS preflight (`OPTIONS` with `Origin`): what a browser may then POST. */
export function answerPreflight(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  counted: BytesWritten,
): void {
  const allowed = corsHeadersFor(request.headers.origin);
  const headers =
    Object.keys(allowed).length === 0
      ? {}
      : {
          ...allowed,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'authorization, content-type, x-requested-with',
          'access-control-max-age': '600',
        };
  sendBody(response, 204, headers, Buffer.alloc(0), counted);
}
