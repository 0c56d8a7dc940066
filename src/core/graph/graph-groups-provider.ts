import { inject, injectable } from 'tsyringe';
import { AppTokenSource } from './app-token-source';
import { hasGroupsOverage, stringClaim, stringListClaim, type EntraIdClaims } from '../token/claims';
import { Clock } from '../clock';
import { AuthorizationException, ConfigurationError, TemporarilyUnavailableException } from '../errors';
import { GraphBackoff } from './graph-backoff';
import { fetchTransitiveSecurityGroups } from './graph-membership';
import { graphFailureOf, isTenantWide } from './graph-request-failure';
import type { GroupsProvider } from '../authorization/groups-provider';
import { isGuid } from '../guid';
import { HttpClient } from '../http-client';
import { Logger } from '../telemetry/logger';
import { MAX_CACHED_MEMBERSHIPS, MembershipCache } from './membership-cache';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { Settings } from '../settings/settings';
import { variablesOf } from '../settings/settings-table';
import { NO_TELEMETRY, Telemetry } from '../telemetry/telemetry';

/**
 * Groups that work in tenants where users are in more groups than fit in a token. Without overage
 * it answers the `groups` claim and never calls Graph. On overage (`_claim_names.groups` or
 * `hasgroups`) it asks Microsoft Graph for the user's transitive security groups with the API's own
 * credentials (one app token per tenant), caches the answer per (`tid`, `oid`) for
 * `GROUPS_CACHE_TTL`, and shares one lookup between concurrent requests of a user. The token's
 * `_claim_sources` URLs are never followed. When Graph cannot answer (throttled, failing, slow)
 * the request ends in 503 `groups_unavailable` with `Retry-After`: never in "no groups".
 *
 * Register it in place of the default:
 * `container.register(GroupsProvider, { useClass: GraphGroupsProvider })`.
 */
@injectable()
export class GraphGroupsProvider implements GroupsProvider {
  private readonly tokens: AppTokenSource;
  private readonly memberships: MembershipCache;
  private readonly backoff: GraphBackoff;
  private readonly http: Required<HttpClient>;
  private readonly warned = new Set<string>();

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(HttpClient) http: HttpClient,
    @inject(Clock) private readonly clock: Clock,
    @inject(Telemetry) private readonly telemetry: Telemetry = NO_TELEMETRY,
    @inject(Logger) private readonly logger: Logger = new ProcessWarningLogger(),
  ) {
    // Resolved while the app is composed: a missing credential fails the start, not a request.
    const problems: string[] = [];
    if (!settings.clientCredential) {
      problems.push(
        `GraphGroupsProvider: set ${variablesOf('clientCredential').join(' or ')} (the API's credentials for Microsoft Graph)`,
      );
    }
    if (typeof http.post !== 'function') {
      problems.push('GraphGroupsProvider: the registered HttpClient has no post() for the token request');
    }
    if (problems.length > 0) throw new ConfigurationError(problems);
    this.http = http as Required<HttpClient>;
    this.tokens = new AppTokenSource(settings, this.http, clock, telemetry);
    this.memberships = new MembershipCache(clock, settings.groupsCacheTtl, MAX_CACHED_MEMBERSHIPS, () =>
      telemetry.groupsCacheHit(),
    );
    this.backoff = new GraphBackoff(clock);
  }

  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    if (!hasGroupsOverage(claims)) return stringListClaim(claims, 'groups');
    const tenantId = stringClaim(claims, 'tid');
    const userId = stringClaim(claims, 'oid');
    // Verified tokens always carry both; without them there is no one to look up.
    if (!isGuid(tenantId) || !isGuid(userId)) throw new AuthorizationException('groups_overage');
    return this.memberships.get(tenantId, userId, () => this.lookup(tenantId.toLowerCase(), userId));
  }

  private async lookup(tenantId: string, userId: string): Promise<readonly string[]> {
    // One user's failing lookup backs off that user only; a failure of Graph or of the app's
    // access to the tenant backs off the whole tenant.
    const userKey = `${tenantId}/${userId.toLowerCase()}`;
    const wait = Math.max(this.backoff.waitSeconds(tenantId), this.backoff.waitSeconds(userKey));
    if (wait > 0) throw groupsUnavailable(wait);
    try {
      const groups = await this.telemetry.lookUpGroups(() =>
        fetchTransitiveSecurityGroups(this.settings, this.http, this.tokens, tenantId, userId),
      );
      this.backoff.succeeded(tenantId);
      this.backoff.succeeded(userKey);
      return groups;
    } catch (error) {
      const failure = graphFailureOf(error);
      const tenantWide = isTenantWide(failure);
      const retryInSeconds = this.backoff.failed(tenantWide ? tenantId : userKey, failure.retryAfterSeconds);
      this.logger.warn(
        failure.code === 'throttled'
          ? 'Microsoft Graph throttled a group lookup; the tenant waits'
          : 'Microsoft Graph group lookup failed',
        { reason: failure.code, tenantId, tenantWide, retryInSeconds: Math.ceil(retryInSeconds) },
      );
      this.warnOnce(tenantId, failure.code);
      throw groupsUnavailable(retryInSeconds);
    }
  }

  /**
   * Refusals an operator must fix (bad credentials, missing permission or consent) are reported
   * once per tenant and kind, with the tenant id and a code only: never a token or a user.
   */
  private warnOnce(tenantId: string, code: string): void {
    if (!['status_400', 'status_401', 'status_403', 'limited_group_properties'].includes(code)) return;
    const key = `${tenantId}/${code}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(
      `Microsoft Graph group lookup refused (${code}) for tenant ${tenantId}: check the API's credentials, ` +
        'its application permission GroupMember.Read.All and admin consent in that tenant',
      { code: 'ENTRA_AUTH_GRAPH_REFUSED', reason: code, tenantId },
    );
  }
}

function groupsUnavailable(retryAfterSeconds: number): TemporarilyUnavailableException {
  return new TemporarilyUnavailableException('groups_unavailable', Math.max(1, Math.ceil(retryAfterSeconds)));
}
