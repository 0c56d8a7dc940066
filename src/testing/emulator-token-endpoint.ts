// Entra's token endpoint as an API meets it when it resolves groups overage: client credentials,
// with the API's client secret or a client assertion signed by one of its certificates, in the
// tenants that consented. It also remembers the app tokens it issued, for the Graph endpoint.
// The grants of users signing in and of the client application are SignIn's (emulator-sign-in.ts);
// every answer carries CORS headers for a loopback page, as Entra's do for single-page apps.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { jwtVerify } from 'jose';
import type { Clock } from '../core/clock';
import { apiClientId, clientAppId } from './emulator-identities';
import { corsHeadersFor } from './emulator-cors';
import { JSON_CONTENT_TYPE, sendText, type BytesWritten } from './emulator-responses';
import type { SignIn, TokenAnswer } from './emulator-sign-in';
import { issuerTenantOf } from './emulator-routes';
import { TENANT_ID_PLACEHOLDER } from './emulator-documents';
import { DEFAULT_GRAPH_PERMISSIONS } from './emulator-application';

const TOKEN_LIFETIME_SECONDS = 3599;
const MAX_FORM_BYTES = 64 * 1024;

/** An app token this endpoint issued: for which tenant, until when, with which Graph permissions. */
export interface IssuedToken {
  readonly tenantId: string;
  readonly expiresAt: number;
  /** The Graph application permissions consented in the tenant when the token was issued. */
  readonly permissions: readonly string[];
}

/**
 * The API's registration as the emulator holds it: its secret, its certificates, the tenants that
 * consented, and the Graph permissions granted in each.
 */
export class TokenEndpoint {
  /** The API's client secret (a test value; never a real one). */
  readonly clientSecret = 'emulator-api-client-secret';
  private readonly certificates = new Map<string, X509Certificate>();
  private readonly consentedTenants = new Set<string>();
  private readonly graphPermissions = new Map<string, readonly string[]>();
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    tenantIds: readonly string[],
    private readonly signIn: SignIn,
  ) {
    for (const id of tenantIds) {
      this.consentedTenants.add(id);
      this.graphPermissions.set(id, DEFAULT_GRAPH_PERMISSIONS);
    }
  }

  /** Accepts client assertions signed by this certificate's key (PEM). Returns its `x5t#S256`. */
  registerCertificate(pem: string): string {
    const certificate = new X509Certificate(pem);
    const thumbprint = createHash('sha256').update(certificate.raw).digest('base64url');
    this.certificates.set(thumbprint, certificate);
    return thumbprint;
  }

  /** Admin consent for the API's Graph permission in a tenant (granted in every tenant at start). */
  setConsent(tenantId: string, granted: boolean): void {
    if (granted) this.consentedTenants.add(tenantId);
    else this.consentedTenants.delete(tenantId);
  }

  /** The Graph application permissions the API holds in a tenant (consented with the API's admin consent). */
  setGraphPermissions(tenantId: string, permissions: readonly string[]): void {
    this.graphPermissions.set(tenantId, Object.freeze([...permissions]));
  }

  /** The app token this endpoint issued, while it has not expired; undefined for any other. */
  issuedToken(accessToken: string): IssuedToken | undefined {
    const token = this.issued.get(accessToken);
    return token !== undefined && token.expiresAt > this.clock.now() ? token : undefined;
  }

  /** Answers a POST to `/{tenantSegment}/oauth2/v2.0/token`. */
  answer(
    tenantSegment: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    counted: BytesWritten,
  ): void {
    const cors = corsHeadersFor(request.headers.origin);
    const reply = (answer: TokenAnswer): void =>
      sendText(response, answer.status, JSON_CONTENT_TYPE, JSON.stringify(answer.body), counted, cors);
    readForm(request)
      .then(
        (form) => this.answerForm(tenantSegment, form, request.headers.authorization, reply),
        () =>
          reply({
            status: 400,
            body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body is not a form.' },
          }),
      )
      .catch(() => response.destroy());
  }

  private async answerForm(
    tenantSegment: string,
    form: URLSearchParams | undefined,
    authorization: string | undefined,
    reply: (answer: TokenAnswer) => void,
  ): Promise<void> {
    const refuse = (status: number, error: string, description: string): void =>
      reply({ status, body: { error, error_description: description } });
    if (form?.get('grant_type') === 'authorization_code') return reply(this.signIn.redeemCode(tenantSegment, form));
    const client = form?.get('grant_type') === 'client_credentials' ? clientOf(form, authorization) : undefined;
    if (client?.id === clientAppId) {
      return reply(this.signIn.appOnlyToken(tenantSegment, client.secret, form!.get('scope') ?? ''));
    }
    const tenantId = issuerTenantOf(tenantSegment);
    if (tenantId === undefined || tenantId === TENANT_ID_PLACEHOLDER) {
      return refuse(400, 'invalid_request', `AADSTS90002: Tenant '${tenantSegment}' not found.`);
    }
    if (!form || form.get('grant_type') !== 'client_credentials') {
      return refuse(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    if (form.get('client_id') !== apiClientId) {
      return refuse(400, 'unauthorized_client', 'AADSTS700016: Application not found in the directory.');
    }
    if (!/^https?:\/\/[^/]+\/\.default$/.test(form.get('scope') ?? '')) {
      return refuse(400, 'invalid_scope', 'AADSTS1002012: The scope must be a resource followed by /.default.');
    }
    const authenticated = form.has('client_secret')
      ? form.get('client_secret') === this.clientSecret
      : await this.validAssertion(form, `${this.baseUrl}/${tenantSegment}/oauth2/v2.0/token`);
    if (!authenticated)
      return refuse(401, 'invalid_client', 'AADSTS7000215: Invalid client secret or assertion provided.');
    if (!this.consentedTenants.has(tenantId)) {
      return refuse(400, 'invalid_grant', 'AADSTS65001: The application has not been consented to in this tenant.');
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.issued.set(accessToken, {
      tenantId,
      expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000,
      permissions: this.graphPermissions.get(tenantId) ?? [],
    });
    reply({
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      },
    });
  }

  private async validAssertion(form: URLSearchParams, audience: string): Promise<boolean> {
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !assertion)
      return false;
    try {
      const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const certificate = this.certificates.get(String(header['x5t#S256']));
      if (!certificate) return false;
      await jwtVerify(assertion, certificate.publicKey, {
        algorithms: ['PS256', 'RS256'],
        audience,
        issuer: apiClientId,
        subject: apiClientId,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'nbf', 'jti'],
      });
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The client of a client-credentials request and its secret: from HTTP Basic authentication
 * (RFC 6749 §2.3.1: form-encoded id and secret, as Swagger UI sends them) or from the form.
 */
function clientOf(
  form: URLSearchParams,
  authorization: string | undefined,
): { id: string; secret?: string } | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')?.[1];
  if (basic !== undefined) {
    const credentials = Buffer.from(basic, 'base64').toString('utf8');
    const colon = credentials.indexOf(':');
    const decode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));
    try {
      if (colon < 0) return { id: decode(credentials) };
      return { id: decode(credentials.slice(0, colon)), secret: decode(credentials.slice(colon + 1)) };
    } catch {
      return undefined;
    }
  }
  const id = form.get('client_id');
  return id === null ? undefined : { id, secret: form.get('client_secret') ?? undefined };
}

function readForm(request: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        request.destroy();
        reject(new Error('form too large'));
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      resolve(isForm ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : undefined);
    });
    request.on('error', reject);
  });
}
