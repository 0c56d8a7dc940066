import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Middleware } from 'koa';
import { ConfigurationError } from '../core/errors';
import { isGuid } from '../core/guid';
import type { OpenApiDocument } from './entra-security';
import { OAUTH2_SCHEME } from './security-schemes';

export interface SwaggerUiOptions {
  /**
   * The application (client) id Swagger UI signs in as: an app registration with a single-page
   * application redirect URI `<origin><path>/oauth2-redirect.html` and the API's scopes granted.
   * Public: no secret goes with it.
   */
  readonly clientId: string;
  /** Where Swagger UI is served. Default `/docs`. */
  readonly path?: string;
  /** Where the document is served as JSON. Default `/openapi.json`. */
  readonly documentPath?: string;
}

/** The files of swagger-ui-dist the page needs, and nothing else of that folder. */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'oauth2-redirect.html': 'text/html; charset=utf-8',
  'oauth2-redirect.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/**
 * Koa middleware serving the document at `documentPath` and Swagger UI at `path`, from the
 * locally installed `swagger-ui-dist` (an optional peer, loaded only here): no CDN, works offline.
 * "Authorize" signs in with the authorization-code flow and PKCE at the document's Entra
 * endpoints. The page loads nothing from elsewhere (its Content-Security-Policy allows the token
 * endpoint's origin for the code exchange, and nothing else), and Swagger UI's validator badge,
 * which would send the document's address to swagger.io, is off. Other requests pass through.
 */
export function serveSwaggerUi(document: OpenApiDocument, options: SwaggerUiOptions): Middleware {
  const docsPath = (options.path ?? '/docs').replace(/\/+$/, '');
  const documentPath = options.documentPath ?? '/openapi.json';
  const problems = [
    ...(isGuid(options.clientId) ? [] : ['serveSwaggerUi: clientId must be the application (client) id, a GUID']),
    ...(/^\/[^?#]*$/.test(docsPath) ? [] : ['serveSwaggerUi: path must start with "/" and hold no "?" or "#"']),
    ...(/^\/[^?#]*[^/?#]$/.test(documentPath)
      ? []
      : ['serveSwaggerUi: documentPath must start with "/" and hold no "?" or "#"']),
  ];
  if (problems.length > 0) throw new ConfigurationError(problems);

  const folder = swaggerUiDistFolder();
  const files = new Map<string, Asset>(
    Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(path.join(folder, name)) }]),
  );
  files.set('', { type: 'text/html; charset=utf-8', body: Buffer.from(INDEX_HTML) });
  files.set('swagger-initializer.js', {
    type: 'text/javascript; charset=utf-8',
    body: Buffer.from(initializer(documentPath, options.clientId, preselectedScopes(document))),
  });
  const documentBody = Buffer.from(JSON.stringify(document));
  const policy = contentSecurityPolicy(tokenOrigins(document));

  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === documentPath) {
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = documentBody;
      return;
    }
    if (ctx.path === docsPath) {
      // The page's files are relative to it: it must end in "/".
      ctx.status = 301;
      ctx.redirect(`${docsPath}/`);
      return;
    }
    const file = ctx.path.startsWith(`${docsPath}/`) ? files.get(ctx.path.slice(docsPath.length + 1)) : undefined;
    if (!file) return next();
    ctx.set('Content-Security-Policy', policy);
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The redirect page receives the authorization code in its address: never pass it on.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = file.type;
    ctx.body = file.body;
  };
}

function swaggerUiDistFolder(): string {
  try {
    return path.dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    throw new ConfigurationError([
      'serveSwaggerUi: the swagger-ui-dist package is not installed (npm install swagger-ui-dist)',
    ]);
  }
}

/** The origins of the document's OAuth token endpoints: the page posts the code exchange there. */
function tokenOrigins(document: OpenApiDocument): string[] {
  const flows = oauth2Flows(document);
  const origins = Object.values(flows).flatMap((flow) => {
    const tokenUrl = (flow as { tokenUrl?: unknown }).tokenUrl;
    return typeof tokenUrl === 'string' && URL.canParse(tokenUrl) ? [new URL(tokenUrl).origin] : [];
  });
  return [...new Set(origins)];
}

function oauth2Flows(document: OpenApiDocument): Record<string, unknown> {
  const scheme = document.components.securitySchemes?.[OAUTH2_SCHEME] as
    { flows?: Record<string, unknown> } | undefined;
  return scheme?.flows ?? {};
}

/** `.default` is ticked when it is the only scope to request; Entra refuses it beside another scope of the API. */
function preselectedScopes(document: OpenApiDocument): string[] {
  const scopes = Object.keys(
    (oauth2Flows(document).authorizationCode as { scopes?: Record<string, string> } | undefined)?.scopes ?? {},
  );
  return scopes.length === 1 ? scopes : [];
}

function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Swagger UI sets style attributes from its scripts.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectOrigins.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>API documentation</title>
    <link rel="stylesheet" href="./swagger-ui.css" />
    <link rel="icon" type="image/png" href="./favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="./favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./swagger-ui-bundle.js"></script>
    <script src="./swagger-initializer.js"></script>
  </body>
</html>
`;

function initializer(documentPath: string, clientId: string, scopes: readonly string[]): string {
  const config = JSON.stringify({ documentPath, clientId, scopes }).replace(/</g, '\\u003c');
  return `// Generated by entra-auth-middleware/openapi.
window.onload = function () {
  var config = ${config};
  window.ui = SwaggerUIBundle({
    url: config.documentPath,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    oauth2RedirectUrl: new URL('oauth2-redirect.html', window.location.href).href,
  });
  window.ui.initOAuth({
    clientId: config.clientId,
    usePkceWithAuthorizationCodeGrant: true,
    scopes: config.scopes,
    scopeSeparator: ' ',
  });
};
`;
}
