import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomUUID, type KeyObject } from 'node:crypto';
import { SystemClock, type Clock } from '../core/clock';
import { isGuid } from '../core/guid';
import type { TokenVersion } from '../core/settings/settings';
import {
  accessTokenClaims,
  accessTokenHeader,
  graphTokenOptions,
  mergeOver,
  type MintOptions,
} from './access-token-claims';
import { discoveryDocument, issuerFor, publishedJwk, TENANT_ID_PLACEHOLDER } from './emulator-documents';
import {
  isExternalTenant,
  isMultiTenantName,
  issuerTenantOf,
  matchRoute,
  tenantIdForToken,
  type Route,
} from './emulator-routes';
import { overageAdministratorUser, transitiveGroupsOf, type DirectoryGroup } from './emulator-directory';
import { apiApplication } from './emulator-application';
import { GraphEndpoint } from './emulator-graph-endpoint';
import { TokenEndpoint } from './emulator-token-endpoint';
import { answerPreflight } from './emulator-cors';
import { SignIn } from './emulator-sign-in';
import {
  ENDPOINT_KINDS,
  FaultSchedule,
  type EmulatorFault,
  type EndpointKind,
  type FaultOptions,
  type FaultTarget,
} from './emulator-faults';
import {
  administratorsGroupId,
  administratorUser,
  apiClientId,
  clientAppId,
  clientAppServicePrincipalId,
  externalTenant,
  guestUser,
  memberUser,
  otherExternalTenant,
  personalAccountGuestUser,
  primaryTenant,
  secondaryTenant,
  type EmulatorUser,
} from './emulator-identities';
import { JSON_CONTENT_TYPE, sendBody, sendJson, sendText, streamFiller, type BytesWritten } from './emulator-responses';
import { SigningKeyRing } from './signing-key-ring';
import { warmTestKeys } from './test-keys';
import { signJwt, signJwtWithGraphNonce } from './token-minting';

export interface EntraEmulatorOptions {
  /** Time for minted tokens' iat/nbf/exp. Default the system clock. */
  clock?: Clock;
  /** Keys published at start (test keys 0 … n−1); key 0 is current. Default 1. */
  signingKeyCount?: number;
  /**
   * Serve HTTPS with this PEM key and certificate (valid for 127.0.0.1), for clients that refuse
   * http metadata URLs. Default plain HTTP.
   */
  tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

/**
 * A local Microsoft Entra ID for tests: real HTTP on 127.0.0.1 serving discovery documents and key
 * sets at Microsoft's paths, real RS256/PS256 tokens, switchable faults, and request counters.
 * Start one with {@link EntraEmulator.start}; always {@link EntraEmulator.close} it.
 */
export class EntraEmulator {
  readonly tenants = Object.freeze({
    primary: primaryTenant,
    secondary: secondaryTenant,
    /**
     * External ID (CIAM) tenants: served at the same paths as the others (this host stands for
     * their authority, as a custom URL domain would); their v2 issuers name the tenant GUID in host
     * and path (`https://<tid>.ciamlogin.entra-emulator.test/<tid>/v2.0`).
     */
    external: externalTenant,
    otherExternal: otherExternalTenant,
  });
  readonly users = Object.freeze({
    member: memberUser,
    administrator: administratorUser,
    /** In 250 groups, Administrators among them: tokens show overage, Graph lists the groups. */
    overageAdministrator: overageAdministratorUser,
    /** A B2B guest from the secondary tenant: its tokens carry `idp` (and `acct` 1 with `acct: true`). */
    guest: guestUser,
    /** A guest with a personal Microsoft account (`idp` live.com). */
    personalAccountGuest: personalAccountGuestUser,
  });
  readonly groups = Object.freeze({ administrators: administratorsGroupId });
  readonly apiClientId = apiClientId;
  readonly clientAppId = clientAppId;
  readonly clientAppServicePrincipalId = clientAppServicePrincipalId;

  /** `http://127.0.0.1:<port>` (`https://` with the tls option): the authority host. */
  readonly baseUrl: string;
  /** The library's `JWKS_URL_TEMPLATE` here: Microsoft's v2 discovery URL with the host swapped. */
  readonly jwksUrlTemplate: string;

  private readonly faults = new FaultSchedule();
  private readonly discoveryPatches = new Map<TokenVersion, Record<string, unknown>>();
  private applicationPatch: Record<string, unknown> | undefined;
  private readonly requests: Record<EndpointKind, number> = { discovery: 0, keys: 0, token: 0, graph: 0, authorize: 0 };
  private readonly bytes: Record<EndpointKind, number> = { discovery: 0, keys: 0, token: 0, graph: 0, authorize: 0 };
  private readonly tokenEndpoint: TokenEndpoint;
  private readonly signIn: SignIn;
  private readonly graphEndpoint: GraphEndpoint;
  private readonly log: string[] = [];
  private readonly createdUsers = new Map<string, readonly DirectoryGroup[]>();
  private readonly slowTimers = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server | https.Server,
    readonly clock: Clock,
    private readonly keys: SigningKeyRing,
  ) {
    const scheme = server instanceof https.Server ? 'https' : 'http';
    this.baseUrl = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.jwksUrlTemplate = `${this.baseUrl}/{}/v2.0/.well-known/openid-configuration`;
    this.signIn = new SignIn(clock, (options) => this.mintAccessToken(options));
    this.tokenEndpoint = new TokenEndpoint(this.baseUrl, clock, [primaryTenant.id, secondaryTenant.id], this.signIn);
    this.graphEndpoint = new GraphEndpoint(
      this.baseUrl,
      this.tokenEndpoint,
      () => mergeOver(apiApplication(), this.applicationPatch),
      (oid) => this.createdUsers.get(oid.toLowerCase()) ?? transitiveGroupsOf(oid),
    );
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
      this.handle(request, response),
    );
  }

  static async start(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
    const keyCount = options.signingKeyCount ?? 1;
    if (!Number.isInteger(keyCount) || keyCount < 1) {
      throw new RangeError(`signingKeyCount must be a whole number ≥ 1, got ${keyCount}`);
    }
    await warmTestKeys(keyCount);
    const keys = new SigningKeyRing();
    for (let added = 0; added < keyCount; added++) await keys.addTenantKey();

    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert })
      : http.createServer();
    // Never close idle keep-alive sockets on a timer: a client reusing one just as the server
    // closes it sees a spurious ECONNRESET, which would make tests of the library flaky.
    // close() destroys them all anyway.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new EntraEmulator(server, options.clock ?? new SystemClock(), keys);
  }

  /** Stops listening; destroys every connection (stalled ones too) and drops pending slow answers. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.slowTimers) clearTimeout(timer);
      this.slowTimers.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  // ---- keys ----

  /** The kid minted tokens carry (and are signed with) by default. */
  get currentKid(): string {
    return this.keys.currentKid;
  }

  /** Publishes the next test key for every tenant; the current kid does not change. */
  async addSigningKey(): Promise<string> {
    return (await this.keys.addTenantKey()).kid;
  }

  /** Publishes the next test key and signs with it from now on; the previous key stays published. */
  async rotateSigningKey(): Promise<string> {
    const kid = await this.addSigningKey();
    this.keys.makeCurrent(kid);
    return kid;
  }

  /**
   * Unpublishes a key (tenant or app key). It can still sign, and stays current if it was:
   * tokens then carry a kid the key sets no longer list, like tokens signed before a rollover.
   */
  removeSigningKey(kid: string): void {
    this.keys.remove(kid);
  }

  /** Kids published for every tenant, plus `appId`'s own keys when given. */
  publishedKids(appId?: string): string[] {
    return this.keys.publishedKids(appId);
  }

  /** Publishes a key only in key sets fetched with `?appid=<appId>` (Entra's custom signing keys). */
  async addAppSigningKey(appId: string): Promise<string> {
    if (!isGuid(appId)) throw new TypeError(`appId must be a GUID, got ${appId}`);
    return (await this.keys.addAppKey(appId)).kid;
  }

  /**
   * Appends `jwk` verbatim to every key set, for hostile-key tests; an `issuer` member is served in
   * v2 key sets only, because that is where Entra binds keys to issuers.
   */
  publishRawKey(jwk: Record<string, unknown>): void {
    this.keys.addRaw(jwk);
  }

  clearRawKeys(): void {
    this.keys.clearRaw();
  }

  /** The private key behind any kid this emulator ever published. */
  privateKeyFor(kid: string): KeyObject {
    return this.keys.requireKnown(kid).privateKey;
  }

  // ---- faults and document changes ----

  /** Makes `endpoint` misbehave (`undefined` heals it), for every request or the next `times`. */
  setFault(endpoint: FaultTarget, fault: EmulatorFault | undefined, options?: FaultOptions): void {
    this.faults.set(endpoint, fault, options);
  }

  /**
   * Members merged over every discovery document of `version` (a member set to `undefined` is
   * removed); `patch` = `undefined` restores the documents.
   */
  patchDiscovery(version: TokenVersion, patch: Record<string, unknown> | undefined): void {
    if (patch === undefined) this.discoveryPatches.delete(version);
    else this.discoveryPatches.set(version, { ...patch });
  }

  // ---- counters ----

  requestCount(endpoint: EndpointKind): number {
    return this.requests[endpoint];
  }

  /** Body bytes the sockets accepted for that endpoint kind (aborted writes are not counted). */
  bytesSent(endpoint: EndpointKind): number {
    return this.bytes[endpoint];
  }

  /** `METHOD /path?query` of every request since start or the last reset, in arrival order. */
  get requestLog(): readonly string[] {
    return this.log;
  }

  resetCounters(): void {
    for (const kind of ENDPOINT_KINDS) this.requests[kind] = this.bytes[kind] = 0;
    this.log.length = 0;
  }

  // ---- the API's registration, for Graph group lookups ----

  /** The library's `GRAPH_URL` here: Graph's paths are served on the same host. */
  get graphUrl(): string {
    return this.baseUrl;
  }

  /** The API's client secret (`CLIENT_SECRET`) that the token endpoint accepts. */
  get clientSecret(): string {
    return this.tokenEndpoint.clientSecret;
  }

  /** Makes the token endpoint accept client assertions signed with this certificate's key (PEM). */
  registerClientCertificate(certificatePem: string): string {
    return this.tokenEndpoint.registerCertificate(certificatePem);
  }

  /**
   * The client application's secret (`clientAppId`) for the client-credentials grant, which gives it
   * an app-only token for the API. Users sign in at the authorize endpoint instead (PKCE, a persona
   * picker page), as the demo's Swagger UI does.
   */
  get clientAppSecret(): string {
    return this.signIn.clientAppSecret;
  }

  /** Grants or withdraws the admin consent for the API's Graph permission in a tenant (granted everywhere at start). */
  setAdminConsent(tenantId: string, granted: boolean): void {
    this.tokenEndpoint.setConsent(tenantId, granted);
  }

  /**
   * The Microsoft Graph application permissions the API holds in a tenant, for app tokens issued
   * from now on (at start, in every tenant: `GroupMember.Read.All` and `Application.Read.All`).
   * Graph answers 403 `Authorization_RequestDenied` to a call whose permission is missing.
   */
  setGraphPermissions(tenantId: string, permissions: readonly string[]): void {
    this.tokenEndpoint.setGraphPermissions(tenantId, permissions);
  }

  /**
   * Members merged over the API's application object that Graph serves at
   * `/v1.0/applications(appId='<apiClientId>')` in the primary tenant (a member set to `undefined`
   * is removed); `patch` = `undefined` restores it. The default matches the tokens the emulator mints.
   */
  patchApplication(patch: Record<string, unknown> | undefined): void {
    this.applicationPatch = patch === undefined ? undefined : { ...patch };
  }

  /**
   * A new user of the primary tenant, a member of these security groups (Graph lists them; more
   * than 200 make its tokens show overage), for tests that need many distinct users.
   */
  createUser(groups: readonly string[] = []): EmulatorUser {
    const serial = this.createdUsers.size + 1;
    const oid = randomUUID();
    const user: EmulatorUser = Object.freeze({
      oid,
      name: `Test User ${serial}`,
      preferredUsername: `user${serial}@${primaryTenant.domain}`,
      email: `user${serial}@${primaryTenant.domain}`,
      upn: `user${serial}@${primaryTenant.domain}`,
      groups: Object.freeze([...groups]),
    });
    this.createdUsers.set(oid, Object.freeze(groups.map((id) => ({ id, securityEnabled: true }))));
    return user;
  }

  // ---- tokens ----

  /** A signed access token shaped like Entra's; see {@link MintOptions} for every default. */
  mintAccessToken(requested: MintOptions = {}): string {
    const options = requested.microsoftGraph ? graphTokenOptions(requested) : requested;
    const version = options.version ?? '2.0';
    const tenantId = tenantIdForToken(options.tenantId ?? primaryTenant.id);
    const kid = options.kid ?? this.keys.currentKid;
    // An unknown kid only labels the header: the token is still signed with a real key, so tests
    // exercise the "kid not found" path and not a broken signature.
    const signer = this.keys.find(kid) ?? this.keys.requireKnown(this.keys.currentKid);
    const privateKey = options.signingKey ?? signer.privateKey;
    const claims = accessTokenClaims(options, {
      nowSeconds: Math.floor(this.clock.now() / 1000),
      tenantId,
      issuer: this.issuer(version, tenantId),
    });
    const sign = options.microsoftGraph ? signJwtWithGraphNonce : signJwt;
    return sign(accessTokenHeader(options, kid), claims, privateKey, options.alg ?? 'RS256');
  }

  /**
   * The issuer of `version` tokens for a tenant (GUID or known domain; an unknown id is used
   * verbatim). `common` / `organizations` give the multi-tenant template with `{tenantid}`; an
   * External ID tenant's v2 issuer names its GUID in host and path.
   */
  issuer(version: TokenVersion, tenantId: string = primaryTenant.id): string {
    const issuerTenant = isMultiTenantName(tenantId) ? TENANT_ID_PLACEHOLDER : tenantIdForToken(tenantId);
    return issuerFor(version, this.baseUrl, issuerTenant, isExternalTenant(issuerTenant));
  }

  // ---- HTTP ----

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    try {
      this.route(request, response);
    } catch (error) {
      // A test's raw key, patch or fault that HTTP or JSON cannot carry (BigInt, cycles, a bad
      // header value): say so rather than crash the test process or leave the client hanging.
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const description = `Emulator error: ${error instanceof Error ? error.message : String(error)}`;
      sendJson(response, 500, { error: 'emulator_error', error_description: description }, () => {});
    }
  }

  private route(request: http.IncomingMessage, response: http.ServerResponse): void {
    const target = request.url ?? '/';
    this.log.push(`${request.method} ${target}`);
    const queryStart = target.indexOf('?');
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));

    // The authority's time is the emulator's clock, as a skewed Microsoft front end would show it.
    response.setHeader('date', new Date(this.clock.now()).toUTCString());
    const route = matchRoute(path);
    if (!route) {
      sendJson(response, 404, { error: 'not_found', error_description: 'No such endpoint.' }, () => {});
      return;
    }
    this.requests[route.kind] += 1;
    const counted: BytesWritten = (written) => {
      this.bytes[route.kind] += written;
    };
    if (request.method === 'OPTIONS' && 'corsPreflight' in route) {
      answerPreflight(request, response, counted);
      return;
    }
    if (request.method !== route.method) {
      const body = JSON.stringify({ error: 'method_not_allowed' });
      sendText(response, 405, JSON_CONTENT_TYPE, body, counted, { allow: route.method });
      return;
    }
    const fault = this.faults.take(route.kind);
    const answer = (): void => this.answer(route, request, response, query, counted);
    if (fault) this.misbehave(fault, request, response, answer, counted);
    else answer();
  }

  private answer(
    route: Route,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    switch (route.kind) {
      case 'token':
        return this.tokenEndpoint.answer(route.segment, request, response, counted);
      case 'graph':
        return this.graphEndpoint.answer(
          route.resource,
          decodeURIComponent(route.segment),
          request,
          response,
          query,
          counted,
        );
      case 'authorize':
        return this.signIn.authorize(route.segment, query, response, counted);
      default:
        return this.answerMetadata(route, response, query, counted);
    }
  }

  private misbehave(
    fault: EmulatorFault,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    answer: () => void,
    counted: BytesWritten,
  ): void {
    switch (fault.kind) {
      case 'down':
        request.socket.destroy();
        return;
      case 'status': {
        const body = fault.body ?? JSON.stringify({ error: 'server_error', error_description: 'Emulated fault.' });
        const contentType = /^\s*[[{]/.test(body) ? JSON_CONTENT_TYPE : 'text/plain; charset=utf-8';
        const retryAfter: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        return sendText(response, fault.status, contentType, body, counted, retryAfter);
      }
      case 'slow':
        return this.answerLater(response, answer, fault.delayMs);
      case 'garbage':
        return sendText(response, 200, fault.contentType ?? JSON_CONTENT_TYPE, fault.body, counted);
      case 'huge':
        return streamFiller(response, fault.bytes, counted);
      case 'redirect':
        return sendBody(response, fault.status ?? 302, { location: fault.location }, Buffer.alloc(0), counted);
    }
  }

  private answerLater(response: http.ServerResponse, answer: () => void, delayMs: number): void {
    // Real time, not the injected clock: this delays I/O to exercise the library's HTTP timeout.
    const timer = setTimeout(() => {
      this.slowTimers.delete(timer);
      if (response.destroyed) return;
      try {
        answer();
      } catch {
        response.destroy();
      }
    }, delayMs);
    timer.unref();
    this.slowTimers.add(timer);
    response.once('close', () => {
      clearTimeout(timer);
      this.slowTimers.delete(timer);
    });
  }

  /** Discovery documents and key sets. */
  private answerMetadata(
    route: Route & { readonly kind: 'discovery' | 'keys' },
    response: http.ServerResponse,
    query: URLSearchParams,
    counted: BytesWritten,
  ): void {
    const issuerTenant = issuerTenantOf(route.segment);
    if (issuerTenant === undefined) {
      const description = `AADSTS90002: Tenant '${route.segment}' not found.`;
      const answer = { error: 'invalid_tenant', error_description: description, error_codes: [90002] };
      return sendJson(response, 400, answer, counted);
    }
    const appId = query.get('appid') ?? undefined;
    if (appId !== undefined && !isGuid(appId)) {
      const description = 'The appid query parameter must be an application (client) id.';
      return sendJson(response, 400, { error: 'invalid_request', error_description: description }, counted);
    }
    if (route.kind === 'discovery') {
      const { version, segment: tenantSegment } = route;
      const { baseUrl } = this;
      const externalId = isExternalTenant(issuerTenant);
      const document = discoveryDocument({ version, baseUrl, tenantSegment, issuerTenant, appId, externalId });
      return sendJson(response, 200, mergeOver(document, this.discoveryPatches.get(version)), counted);
    }
    // Entra attaches issuers to v2 key sets only; v1 consumers never see them. An External ID
    // tenant's keys are bound to its issuer template, `{tenantid}` in host and path.
    const keyIssuer =
      route.version !== '2.0'
        ? undefined
        : isExternalTenant(issuerTenant)
          ? issuerFor('2.0', this.baseUrl, TENANT_ID_PLACEHOLDER, true)
          : issuerFor('2.0', this.baseUrl, issuerTenant);
    const published = this.keys.publishedKeys(appId).map((key) => publishedJwk(key, keyIssuer));
    const raw = route.version === '2.0' ? this.keys.raw : this.keys.raw.map(withoutIssuer);
    return sendJson(response, 200, { keys: [...published, ...raw] }, counted);
  }
}

function withoutIssuer(jwk: Record<string, unknown>): Record<string, unknown> {
  const { issuer: _issuer, ...rest } = jwk;
  return rest;
}
