import type { Clock } from '../clock';
import { clientAssertion } from './client-assertion';
import type { ClientCredential } from './client-credential';
import { GraphRequestFailure, failureOf } from './graph-request-failure';
import type { HttpClient, HttpResponse } from '../http-client';
import { parseJsonObject } from '../json-object';
import type { Settings } from '../settings/settings';
import { SingleFlight } from '../single-flight';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry';

/** Renew this long before expiry, so no Graph call starts with a token about to lapse. */
const RENEW_BEFORE_SECONDS = 300;

interface HeldToken {
  readonly accessToken: string;
  readonly renewAt: number;
}

/**
 * The API's own app-only token for Microsoft Graph (client credentials), one per tenant: Graph
 * answers a user's memberships only with a token of the user's tenant, so a multi-tenant API
 * needs one per tenant, and admin consent in each. Held until shortly before expiry; concurrent
 * requests for one tenant share one token request.
 */
export class AppTokenSource {
  private readonly held = new Map<string, HeldToken>();
  private readonly requests = new SingleFlight<string, string>();
  private readonly clientId: string;
  private readonly credential: ClientCredential;

  constructor(
    private readonly settings: Settings,
    private readonly http: Required<HttpClient>,
    private readonly clock: Clock,
    private readonly telemetry: Telemetry = NO_TELEMETRY,
  ) {
    // GraphGroupsProvider checked both at construction; these are settings invariants.
    this.clientId = settings.clientId!;
    this.credential = settings.clientCredential!;
  }

  /** `{authority}/{tid}/oauth2/v2.0/token`: the authority of JWKS_URL_TEMPLATE, so national clouds and the emulator work. */
  tokenEndpoint(tenantId: string): string {
    return this.settings.oauth2Endpoint('token', tenantId);
  }

  async tokenFor(tenantId: string): Promise<string> {
    const held = this.held.get(tenantId);
    if (held && held.renewAt > this.clock.now()) return held.accessToken;
    return this.requests.run(tenantId, () => this.telemetry.requestAppToken(() => this.request(tenantId)));
  }

  /** Drops a token Graph refused (revoked, or consent withdrawn), so the next lookup asks for a new one. */
  forget(tenantId: string, accessToken: string): void {
    if (this.held.get(tenantId)?.accessToken === accessToken) this.held.delete(tenantId);
  }

  private async request(tenantId: string): Promise<string> {
    const endpoint = this.tokenEndpoint(tenantId);
    const form = new URLSearchParams({
      client_id: this.clientId,
      scope: `${new URL(this.settings.graphUrl).origin}/.default`,
      grant_type: 'client_credentials',
    });
    const secret = this.credential.revealSecret();
    if (secret !== undefined) {
      form.set('client_secret', secret);
    } else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', await clientAssertion(this.credential, this.clientId, endpoint, this.clock.now()));
    }
    const response = await this.http.post(
      endpoint,
      { contentType: 'application/x-www-form-urlencoded', content: form.toString() },
      { timeoutMs: this.settings.httpTimeoutMs, maxBytes: this.settings.httpMaxBytes },
    );
    if (response.status !== 200) throw failureOf(response);
    const token = readToken(response);
    const lifetime = Math.max(0, token.expiresIn - Math.min(RENEW_BEFORE_SECONDS, token.expiresIn / 2));
    this.held.set(tenantId, { accessToken: token.accessToken, renewAt: this.clock.now() + lifetime * 1000 });
    return token.accessToken;
  }
}

function readToken(response: HttpResponse): { accessToken: string; expiresIn: number } {
  const body = parseJsonObject(response.body);
  const accessToken = body?.access_token;
  const expiresIn = typeof body?.expires_in === 'string' ? Number(body.expires_in) : body?.expires_in;
  if (
    typeof accessToken !== 'string' ||
    accessToken.length === 0 ||
    typeof expiresIn !== 'number' ||
    !(expiresIn > 0)
  ) {
    throw new GraphRequestFailure('invalid_response');
  }
  return { accessToken, expiresIn };
}
