// The two endpoints an API calls to resolve groups overage: Entra's token endpoint (client
// credentials, with a client secret or a certificate's client assertion) and Microsoft Graph's
// transitive group membership, paged as Graph pages it.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { jwtVerify } from 'jose';
import type { Clock } from '../core/clock';
import { isGuid } from '../core/guid';
import { transitiveGroupsOf } from './emulator-directory';
import { apiClientId } from './emulator-identities';
import { JSON_CONTENT_TYPE, sendText, type BytesWritten } from './emulator-responses';
import { issuerTenantOf } from './emulator-routes';
import { TENANT_ID_PLACEHOLDER } from './emulator-documents';

export type DirectoryEndpointKind = 'token' | 'graph';

export interface DirectoryRoute {
  readonly kind: DirectoryEndpointKind;
  /** The tenant segment (token) or the user id (graph), as requested. */
  readonly segment: string;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const GRAPH_PATH = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/;
const TOKEN_LIFETIME_SECONDS = 3599;
const MAX_FORM_BYTES = 64 * 1024;
/** Graph's default page, and the most this emulator returns per page whatever `$top` asks. */
export const GRAPH_PAGE_SIZE = 100;

export function matchDirectoryRoute(path: string): DirectoryRoute | undefined {
  const token = TOKEN_PATH.exec(path)?.[1];
  if (token !== undefined) return { kind: 'token', segment: token };
  const user = GRAPH_PATH.exec(path)?.[1];
  if (user !== undefined) return { kind: 'graph', segment: decodeURIComponent(user) };
  return undefined;
}

interface IssuedToken {
  readonly tenantId: string;
  readonly expiresAt: number;
}

/** The API's registration as the emulator holds it: its secret, its certificates, the tenants that consented. */
export class DirectoryEndpoints {
  /** The API's client secret (a test value; never a real one). */
  readonly clientSecret = 'emulator-api-client-secret';
  private readonly certificates = new Map<string, X509Certificate>();
  private readonly consentedTenants = new Set<string>();
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly baseUrl: string,
    private readonly clock: Clock,
    tenantIds: readonly string[],
  ) {
    for (const id of tenantIds) this.consentedTenants.add(id);
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

  answer(
    route: DirectoryRoute,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const method = route.kind === 'token' ? 'POST' : 'GET';
    if (request.method !== method) {
      return sendText(response, 405, JSON_CONTENT_TYPE, JSON.stringify({ error: 'method_not_allowed' }), counted, {
        allow: method,
      });
    }
    if (route.kind === 'graph') return this.answerGraph(route.segment, request, response, query, counted);
    readForm(request)
      .then(
        (form) => this.answerToken(route.segment, form, response, counted),
        () =>
          send(
            response,
            400,
            { error: 'invalid_request', error_description: 'AADSTS900144: The request body is not a form.' },
            counted,
          ),
      )
      .catch(() => response.destroy());
  }

  private async answerToken(
    tenantSegment: string,
    form: URLSearchParams | undefined,
    response: http.ServerResponse,
    counted: BytesWritten,
  ): Promise<void> {
    const refuse = (status: number, error: string, description: string): void =>
      send(response, status, { error, error_description: description }, counted);
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
    this.issued.set(accessToken, { tenantId, expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    send(
      response,
      200,
      {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      },
      counted,
    );
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

  private answerGraph(
    userId: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : this.issued.get(bearer);
    if (!token || token.expiresAt <= this.clock.now()) {
      return send(
        response,
        401,
        graphError('InvalidAuthenticationToken', 'Access token is empty, invalid or expired.'),
        counted,
      );
    }
    const groups = isGuid(userId) ? transitiveGroupsOf(userId) : undefined;
    if (!groups) {
      return send(
        response,
        404,
        graphError('Request_ResourceNotFound', 'The user does not exist in this tenant.'),
        counted,
      );
    }
    const top = Math.min(Math.max(Number(query.get('$top') ?? GRAPH_PAGE_SIZE) || GRAPH_PAGE_SIZE, 1), 999);
    const pageSize = Math.min(top, GRAPH_PAGE_SIZE);
    const skip = Number(query.get('$skiptoken') ?? 0) || 0;
    const page = groups.slice(skip, skip + pageSize);
    const next = new URLSearchParams(query);
    next.set('$skiptoken', String(skip + pageSize));
    const path = `/v1.0/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.group`;
    send(
      response,
      200,
      {
        '@odata.context': `${this.baseUrl}/v1.0/$metadata#directoryObjects(microsoft.graph.group)`,
        value: page.map((group) => ({
          '@odata.type': '#microsoft.graph.group',
          id: group.id,
          securityEnabled: group.securityEnabled,
        })),
        ...(skip + pageSize < groups.length ? { '@odata.nextLink': `${this.baseUrl}${path}?${next.toString()}` } : {}),
      },
      counted,
    );
  }
}

function graphError(code: string, message: string): Record<string, unknown> {
  return { error: { code, message } };
}

function send(response: http.ServerResponse, status: number, value: unknown, counted: BytesWritten): void {
  if (response.destroyed) return;
  sendText(response, status, JSON_CONTENT_TYPE, JSON.stringify(value), counted);
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
