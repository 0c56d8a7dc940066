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
import { MAX_CACHED_MEMBERSHIPS, MembershipCache, type TimedMembership } from './membership-cache';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { Settings } from '../settings/settings';
import { variablesOf } from '../settings/settings-table';
import { FleetSingleFlight } from '../store/fleet-single-flight';
import { SharedGraphBackoff } from './shared-graph-backoff';
import { decodeMembership, encodeMembership, lookupLockKey, membershipKey } from './shared-membership';
import { SharedStore } from '../store/shared-store';
import { NO_TELEMETRY, Telemetry } from '../telemetry/telemetry';

/** What a fleet shares for Graph: the store, one lookup per user, and the back-off. */
interface Fleet {
  readonly store: SharedStore;
  readonly flights: FleetSingleFlight;
  readonly backoff: SharedGraphBackoff;
}

/**
 * Groups that work in tenants where users are in more groups than fit in a token. Without overage
 * it answers the `groups` claim and never calls Graph. On overage (`_claim_names.groups` or
 * `hasgroups`) it asks Microsoft Graph for the user's transitive security groups with the API's own
 * credentials (one app token per tenant), caches the answer per (`tid`, `oid`) for
 * `GROUPS_CACHE_TTL`, and shares one lookup between concurrent requests of a user. The token's
 * `_claim_sources` URLs are never followed. When Graph cannot answer (throttled, failing, slow)
 * the request ends in 503 `groups_unavailable` with `Retry-After`: never in "no groups".
 *
 * With a shared store (`REDIS_URL`), the fleet acts as one (docs/design.md#fleet): memberships
 * one instance looked up serve all of them, concurrent lookups of a user on several instances
 * make one Graph call, and a throttled tenant is backed off by every instance. A store that is
 * down or slow changes none of the answers: each instance then looks up on its own.
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
  private readonly fleet: Fleet | undefined;

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(HttpClient) http: HttpClient,
    @inject(Clock) private readonly clock: Clock,
    @inject(SharedStore) store: SharedStore,
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
    this.memberships = new MembershipCache(clock, MAX_CACHED_MEMBERSHIPS, () => telemetry.groupsCacheHit());
    this.backoff = new GraphBackoff(clock);
    // A store of this process only would repeat what the cache, its single-flight and the
    // back-off above already do.
    this.fleet = store.shared
      ? {
          store,
          // The longest a lookup takes: the app token request, then every page within its deadline.
          flights: new FleetSingleFlight(store, 3 * settings.httpTimeoutMs, settings.httpTimeoutMs),
          backoff: new SharedGraphBackoff(store, clock),
        }
      : undefined;
  }

  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    if (!hasGroupsOverage(claims)) return stringListClaim(claims, 'groups');
    const tenantId = stringClaim(claims, 'tid');
    const userId = stringClaim(claims, 'oid');
    // Verified tokens always carry both; without them there is no one to look up.
    if (!isGuid(tenantId) || !isGuid(userId)) throw new AuthorizationException('groups_overage');
    return this.memberships.get(tenantId, userId, () => this.resolve(tenantId.toLowerCase(), userId.toLowerCase()));
  }

  /** From the fleet's store when another instance looked the user up, else from Graph. */
  private async resolve(tenantId: string, userId: string): Promise<TimedMembership> {
    // One user's failing lookup backs off that user only; a failure of Graph or of the app's
    // access to the tenant backs off the whole tenant.
    const backoffKeys = [tenantId, `${tenantId}/${userId}`];
    const wait = Math.max(...backoffKeys.map((key) => this.backoff.waitSeconds(key)));
    if (wait > 0) throw groupsUnavailable(wait);
    const fleet = this.fleet;
    if (!fleet) return this.lookup(tenantId, userId);
    return fleet.flights.run(lookupLockKey(tenantId, userId), {
      read: async () => {
        const stored = await fleet.store.get(membershipKey(tenantId, userId));
        const membership =
          stored && decodeMembership(stored, tenantId, userId, this.clock.now(), this.settings.groupsCacheTtl * 1000);
        // Answered without a Graph call: the fleet's cache.
        if (membership) this.telemetry.groupsCacheHit();
        return membership || undefined;
      },
      check: async () => {
        const fleetWait = await fleet.backoff.waitSeconds(backoffKeys);
        if (fleetWait > 0) throw groupsUnavailable(fleetWait);
      },
      lookup: () => this.lookup(tenantId, userId, fleet),
    });
  }

  /** Asks Graph; with a fleet, sends the answer (or the back-off) to the store before settling. */
  private async lookup(tenantId: string, userId: string, fleet?: Fleet): Promise<TimedMembership> {
    const userKey = `${tenantId}/${userId}`;
    try {
      const groups = await this.telemetry.lookUpGroups(() =>
        fetchTransitiveSecurityGroups(this.settings, this.http, this.tokens, tenantId, userId),
      );
      this.backoff.succeeded(tenantId);
      this.backoff.succeeded(userKey);
      const ttlMs = this.settings.groupsCacheTtl * 1000;
      const membership = { groups, expiresAt: this.clock.now() + ttlMs };
      // Not awaited: sent before the lock's release on the same connection, it reaches Redis first,
      // and a stalled Redis does not hold the answer Graph already gave.
      fleet?.store
        .set(membershipKey(tenantId, userId), encodeMembership(tenantId, userId, membership), ttlMs)
        .catch(ignoreStoreFailure);
      return membership;
    } catch (error) {
      const failure = graphFailureOf(error);
      const tenantWide = isTenantWide(failure);
      const key = tenantWide ? tenantId : userKey;
      const retryInSeconds = this.backoff.failed(key, failure.retryAfterSeconds);
      fleet?.backoff.failed(key, retryInSeconds).catch(ignoreStoreFailure);
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

/** A store of the app's own that rejects (the contract says it never does) must not end the process. */
function ignoreStoreFailure(): void {}

function groupsUnavailable(retryAfterSeconds: number): TemporarilyUnavailableException {
  return new TemporarilyUnavailableException('groups_unavailable', Math.max(1, Math.ceil(retryAfterSeconds)));
}
