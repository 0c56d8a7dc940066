// Signing in to the API as Entra does it for a browser client: the authorize endpoint (a persona
// picker instead of a password, PKCE with S256 required), the authorization-code grant with its
// code_verifier check, and the client-credentials grant that gives a client application an
// app-only token for the API.
import { createHash, randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import type { Clock } from '../core/clock';
import { isLoopbackHost } from '../core/settings/authority-url';
import type { MintOptions } from './access-token-claims';
import { TENANT_ID_PLACEHOLDER } from './emulator-documents';
import { apiClientId, clientAppId, primaryTenant } from './emulator-identities';
import { PAGE_HEADERS, personaNamed, personaPickerPage, signInErrorPage, type Persona } from './emulator-personas';
import { sendBody, sendText, type BytesWritten } from './emulator-responses';
import { issuerTenantOf } from './emulator-routes';

/** Entra's authorization codes live ten minutes. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const TOKEN_LIFETIME_SECONDS = 3600;
/** What `.default` grants a user of the client application: the scope the API exposes. */
const CONSENTED_SCOPES = ['access_as_user'];
const OPENID_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/** RFC 7636 §4.1 and §4.2: a verifier of 43–128 unreserved characters; an S256 challenge is 43 base64url characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A token endpoint answer: its status and JSON body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface IssuedCode {
  readonly tenantId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  /** The API's scopes as requested, without the `api://<id>/` prefix. */
  readonly scopes: readonly string[];
  readonly persona: Persona;
  readonly expiresAt: number;
}

export class SignIn {
  /** The client application's secret for the client-credentials grant (a test value; never a real one). */
  readonly clientAppSecret = 'emulator-client-app-secret';
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly clock: Clock,
    private readonly mint: (options: MintOptions) => string,
  ) {}

  /** Answers a GET to `/{tenantSegment}/oauth2/v2.0/authorize`. */
  authorize(tenantSegment: string, query: URLSearchParams, response: http.ServerResponse, counted: BytesWritten): void {
    const page = (status: number, html: string): void =>
      sendText(response, status, 'text/html; charset=utf-8', html, counted, PAGE_HEADERS);
    const tenantId = userTenantOf(tenantSegment);
    if (tenantId === undefined) return page(400, signInErrorPage(`AADSTS90002: Tenant '${tenantSegment}' not found.`));
    const clientId = query.get('client_id') ?? '';
    if (clientId !== clientAppId) {
      return page(
        400,
        signInErrorPage(`AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`),
      );
    }
    // Only a trusted redirect URI may receive even an error: anything else would be an open redirect.
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!isLoopbackRedirectUri(redirectUri)) {
      return page(
        400,
        signInErrorPage(
          'AADSTS50011: The redirect URI does not match the application: the emulator accepts http(s) addresses on loopback hosts, without fragment.',
        ),
      );
    }
    const state = query.get('state') ?? undefined;
    const refuse = (error: string, description: string): void =>
      redirect(response, redirectUri, { error, error_description: description, state }, counted);
    if (query.get('response_type') !== 'code') {
      return refuse('unsupported_response_type', 'AADSTS700054: Only response_type=code is enabled for this client.');
    }
    if ((query.get('response_mode') ?? 'query') !== 'query') {
      return refuse('invalid_request', 'AADSTS900144: The emulator answers with response_mode=query only.');
    }
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(challenge)) {
      return refuse(
        'invalid_request',
        'AADSTS9002325: Proof Key for Code Exchange is required: send code_challenge with code_challenge_method=S256.',
      );
    }
    const scopes = apiScopesOf(query.get('scope') ?? '');
    if (typeof scopes === 'string') return refuse('invalid_scope', scopes);

    const chosen = query.get('persona');
    if (chosen === null) return page(200, personaPickerPage(query, tenantId, scopes.map(fullScope)));
    const persona = personaNamed(chosen);
    if (!persona) return page(400, signInErrorPage(`No persona '${chosen}': pick one of the page's links.`));

    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      tenantId,
      clientId,
      redirectUri,
      challenge,
      scopes,
      persona,
      expiresAt: this.clock.now() + CODE_LIFETIME_MS,
    });
    redirect(response, redirectUri, { code, state }, counted);
  }

  /** The authorization-code grant: the code, once, by the client and redirect URI it was issued for, with its verifier. */
  redeemCode(tenantSegment: string, form: URLSearchParams): TokenAnswer {
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    // Any attempt uses the code up: a wrong verifier cannot be retried.
    this.codes.delete(code);
    const refuse = (description: string): TokenAnswer => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: description },
    });
    if (!issued) return refuse('AADSTS70000: The provided authorization code is invalid or was already redeemed.');
    if (issued.expiresAt <= this.clock.now())
      return refuse('AADSTS70008: The provided authorization code has expired.');
    if (userTenantOf(tenantSegment) !== issued.tenantId) {
      return refuse('AADSTS70000: The authorization code was issued for another tenant.');
    }
    if (form.get('client_id') !== issued.clientId) {
      return refuse('AADSTS70000: The authorization code was issued to another application.');
    }
    if (form.get('redirect_uri') !== issued.redirectUri) {
      return refuse('AADSTS50011: The redirect URI does not match the one of the authorization request.');
    }
    const verifier = form.get('code_verifier') ?? '';
    const matches =
      CODE_VERIFIER.test(verifier) &&
      createHash('sha256').update(verifier, 'ascii').digest('base64url') === issued.challenge;
    if (!matches) {
      return refuse(
        'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
    const scp = issued.scopes.includes('.default') ? CONSENTED_SCOPES : issued.scopes;
    const accessToken = this.mint({ user: issued.persona.user, tenantId: issued.tenantId, scopes: scp });
    return tokenAnswer(accessToken, issued.scopes.map(fullScope).join(' '));
  }

  /** The client-credentials grant of the client application: an app-only token for the API, with its app roles. */
  appOnlyToken(tenantSegment: string, clientSecret: string | undefined, scope: string): TokenAnswer {
    const tenantId = issuerTenantOf(tenantSegment);
    if (tenantId === undefined || tenantId === TENANT_ID_PLACEHOLDER) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenantSegment}' not found.` },
      };
    }
    if (clientSecret !== this.clientAppSecret) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' },
      };
    }
    const scopes = apiScopesOf(scope);
    if (typeof scopes === 'string' || scopes.length !== 1 || scopes[0] !== '.default') {
      return {
        status: 400,
        body: {
          error: 'invalid_scope',
          error_description: `AADSTS1002012: The scope must be the API's .default (${fullScope('.default')}).`,
        },
      };
    }
    return tokenAnswer(this.mint({ appOnly: true, tenantId }), fullScope('.default'));
  }
}

function tokenAnswer(accessToken: string, scope: string): TokenAnswer {
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      scope,
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
    },
  };
}

/** Users sign in to their home tenant; `common` and `organizations` find it (every emulator user lives in the primary tenant). */
function userTenantOf(segment: string): string | undefined {
  const tenantId = issuerTenantOf(segment);
  return tenantId === TENANT_ID_PLACEHOLDER ? primaryTenant.id : tenantId;
}

function isLoopbackRedirectUri(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname) && url.hash === '';
}

function fullScope(scope: string): string {
  return `api://${apiClientId}/${scope}`;
}

/**
 * The API's scopes in a space-separated `scope` parameter, without their `api://<id>/` (or `<id>/`)
 * prefix; OpenID scopes are ignored. An error text when a scope belongs to another resource, none
 * is the API's, or `.default` comes with another scope of the API (Entra refuses all three).
 */
function apiScopesOf(scope: string): string[] | string {
  const prefix = new RegExp(`^(?:api://)?${apiClientId}/([\\x21-\\x7e]+)$`, 'i');
  const scopes: string[] = [];
  for (const requested of scope.split(' ').filter((entry) => entry !== '')) {
    if (OPENID_SCOPES.includes(requested)) continue;
    const name = prefix.exec(requested)?.[1];
    if (name === undefined) {
      return `AADSTS650053: The scope '${requested}' is not a scope of the API ${fullScope('')}… the emulator hosts.`;
    }
    scopes.push(name);
  }
  if (scopes.length === 0) return `AADSTS70011: Request a scope of the API, such as ${fullScope('.default')}.`;
  if (scopes.includes('.default') && scopes.length > 1) {
    return 'AADSTS70011: The scope .default cannot be combined with other scopes of the same resource.';
  }
  return scopes;
}

function redirect(
  response: http.ServerResponse,
  redirectUri: string,
  params: Record<string, string | undefined>,
  counted: BytesWritten,
): void {
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) location.searchParams.set(name, value);
  sendBody(response, 302, { ...PAGE_HEADERS, location: location.href }, Buffer.alloc(0), counted);
}
