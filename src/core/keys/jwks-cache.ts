import { EventEmitter } from 'node:events';
import { inject, injectable } from 'tsyringe';
import type { BackoffSteps } from '../backoff';
import { Clock } from '../clock';
import { InvalidTokenException, TemporarilyUnavailableException } from '../errors';
import { HttpClient } from '../http-client';
import type { JwksCacheEventName, JwksCacheEvents, JwksCacheListener } from './jwks-cache-events';
import { logJwksCacheEvent } from './jwks-cache-log';
import { fetchKeySet, keySetFailureOf, type KeySet, type KeySetFailure, type OpenIdConfig } from './key-set-fetcher';
import { KeySource, type KeySetHealth } from './key-source';
import { Logger } from '../telemetry/logger';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { Settings, type TokenVersion } from '../settings/settings';
import { describeVariables } from '../settings/settings-table';
import type { SigningKey } from './signing-key';
import { SingleFlight } from '../single-flight';
import { NO_TELEMETRY, Telemetry, type FetchTrigger, type KeySetGauge, type Observation } from '../telemetry/telemetry';

export type { OpenIdConfig } from './key-set-fetcher';

/** The cache's state for operators: per token version, no secrets. */
export interface JwksCacheHealth {
  /** Tokens can be validated: some key set is held and none that was asked for is unavailable. */
  readonly healthy: boolean;
  readonly tenant: string;
  readonly keySets: readonly KeySetHealth[];
}

/** With no keys at all: retry after 1 s, doubling to 30 s, so the API is back ≤ 30 s after the authority. */
const NO_KEYS_BACKOFF: BackoffSteps = { firstMs: 1000, maxMs: 30_000 };
/** With good keys held: a failed refresh is retried no more often than every 30 s, doubling to 5 min. */
const REFRESH_BACKOFF: BackoffSteps = { firstMs: 30_000, maxMs: 300_000 };
const REFRESH_JITTER = 0.05;

/**
 * Discovery documents and signing keys of the configured tenant, per token version (v1 and v2
 * documents have different issuers and key sets), held the way Microsoft's ConfigurationManager
 * holds them: one fetch serves any number of concurrent requests; unknown kids trigger a refetch
 * at most once per cooldown; refreshes run in the background and never sit on a request's path
 * while good keys exist; failed, garbage or insane refreshes keep the last good set up to
 * `JWKS_STALE_MAX_AGE`, and retries back off.
 */
@injectable()
export class JwksCache {
  private readonly sources: Record<TokenVersion, KeySource> = {
    '1.0': new KeySource('1.0'),
    '2.0': new KeySource('2.0'),
  };
  private readonly fetches = new SingleFlight<TokenVersion, KeySet>();
  private readonly events = new EventEmitter();
  private fetchesStarted = 0;
  private closed = false;
  private readonly gauges: Observation;
  private tenantNotFoundReported = false;

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(HttpClient) private readonly http: HttpClient,
    @inject(Clock) private readonly clock: Clock,
    @inject(Telemetry) private readonly telemetry: Telemetry = NO_TELEMETRY,
    @inject(Logger) private readonly logger: Logger = new ProcessWarningLogger(),
  ) {
    this.gauges = telemetry.observeKeySets(() => this.keySetGauges());
  }

  /**
   * The key a token names by `kid` (never "try every key"). Throws `key_not_found` when the
   * issuer does not publish it, `keys_unavailable` (503) when no key set can be had.
   */
  async getSigningKey(version: TokenVersion, kid: string): Promise<SigningKey> {
    const keySet = await this.keySetListing(this.sources[version], kid, (set) => set.keys.has(kid));
    const key = keySet.keys.get(kid);
    if (key) return key;
    throw new InvalidTokenException('key_not_found');
  }

  /**
   * The issuers the v2 key set binds `kid` to: the signing-key issuer binding, for tokens of
   * either version (v1 key sets bind nothing; Entra lists the same kids in both). Empty when the
   * v2 set binds or lists no such kid; `keys_unavailable` (503) when it cannot be had.
   */
  async getKeyIssuers(kid: string): Promise<readonly unknown[]> {
    const source = this.sources['2.0'];
    const lists = (set: KeySet) => set.keyIssuers.has(kid);
    let keySet = await this.keySetListing(source, kid, lists);
    // "Not listed" means "unbound" only when the v2 set saw the authority after the v1 set that
    // gave the key; otherwise a new key's binding may just not be fetched yet (an attacker can
    // spend the unknown-kid refetch to keep it so). At most one such fetch per v1 fetch.
    const keyFrom = this.heldKeySet(this.sources['1.0']);
    for (let fetches = 0; !lists(keySet) && keyFrom && keySet.sequence < keyFrom.sequence && fetches < 2; fetches++) {
      keySet = await this.loadForRequest(source, 'unknown_kid');
    }
    return keySet.keyIssuers.get(kid) ?? [];
  }

  /** The key set to look `kid` up in: the held one, or a fetch when none is held or `kid` is new to it. */
  private async keySetListing(source: KeySource, kid: string, lists: (keySet: KeySet) => boolean): Promise<KeySet> {
    const held = this.heldKeySet(source);
    // A held kid never waits, not even behind a fetch under way (an attacker can start one).
    if (held && lists(held)) return held;
    if (!held) {
      // Freshly fetched for this request: an unknown kid needs no second fetch.
      return this.loadForRequest(source);
    }
    const underway = this.fetches.current(source.version);
    if (underway) return underway.catch(() => held);
    if (this.unknownKidRefetchAllowed(source)) {
      source.lastUnknownKidRefetchAt = this.clock.now();
      const requests = source.takeUnknownKidRequests() + 1;
      this.emit('unknown_kid', { version: source.version, kid, requests, refetched: true });
      return this.load(source, 'unknown_kid').catch(() => held);
    }
    source.countUnknownKidRequest();
    return held;
  }

  /** The discovery document in force for a token version, fetched if not held yet. */
  async getOpenIdConfig(version: TokenVersion): Promise<OpenIdConfig> {
    const source = this.sources[version];
    return (this.heldKeySet(source) ?? (await this.loadForRequest(source))).config;
  }

  /** Fetches discovery and keys now (single-flight), whatever is held. */
  async loadJwks(version: TokenVersion): Promise<ReadonlyMap<string, SigningKey>> {
    const source = this.sources[version];
    try {
      return (await this.load(source, source.fetches === 0 ? 'startup' : 'refresh')).keys;
    } catch {
      throw this.unavailable(source);
    }
  }

  /** The usable keys held for a token version, without fetching. */
  getKeys(version: TokenVersion): ReadonlyMap<string, SigningKey> {
    return this.heldKeySet(this.sources[version])?.keys ?? new Map();
  }

  health(): JwksCacheHealth {
    const now = this.clock.now();
    const keySets = Object.values(this.sources).map((source) => source.health(this.heldKeySet(source), now));
    return {
      healthy:
        keySets.some((keySet) => keySet.keys > 0) &&
        keySets.every((keySet) => keySet.state !== 'unavailable' && keySet.state !== 'tenant_not_found'),
      tenant: this.settings.tenantId,
      keySets,
    };
  }

  on<E extends JwksCacheEventName>(event: E, listener: JwksCacheListener<E>): this {
    this.events.on(event, listener);
    return this;
  }

  off<E extends JwksCacheEventName>(event: E, listener: JwksCacheListener<E>): this {
    this.events.off(event, listener);
    return this;
  }

  /** Cancels scheduled refreshes and ends the key-set gauges; fetches under way finish but schedule nothing. */
  close(): void {
    this.closed = true;
    this.gauges.stop();
    for (const source of Object.values(this.sources)) source.refreshTask?.cancel();
  }

  /** What the key-set gauges report: the versions asked for, their keys, age and staleness. */
  private keySetGauges(): KeySetGauge[] {
    const now = this.clock.now();
    return Object.values(this.sources).flatMap((source) => {
      const { state, keys } = source.health(this.heldKeySet(source), now);
      if (state === 'not_loaded') return [];
      // Since the last good fetch, also once past JWKS_STALE_MAX_AGE (the keys are then no longer held).
      const ageSeconds = source.current && (now - source.current.fetchedAt) / 1000;
      return [{ version: source.version, keys, ageSeconds, stale: state === 'stale' }];
    });
  }

  /** The last good key set, while younger than JWKS_STALE_MAX_AGE; past that the cache fails closed. */
  private heldKeySet(source: KeySource): KeySet | undefined {
    const current = source.current;
    if (!current) return undefined;
    return this.clock.now() - current.fetchedAt <= this.settings.jwksStaleMaxAge * 1000 ? current : undefined;
  }

  /** Once per cooldown (the first at once), and never while a failed authority is backed off. */
  private unknownKidRefetchAllowed(source: KeySource): boolean {
    const now = this.clock.now();
    const last = source.lastUnknownKidRefetchAt;
    const cooledDown = last === undefined || now - last >= this.settings.jwksCooldown * 1000;
    return cooledDown && now >= source.backoff.nextAttemptAt;
  }

  /** A load on a request's path, when nothing (usable) is held: honours the retry backoff. */
  private async loadForRequest(source: KeySource, trigger: FetchTrigger = 'retry'): Promise<KeySet> {
    const underway = this.fetches.current(source.version) !== undefined;
    if (!underway && this.clock.now() < source.backoff.nextAttemptAt) throw this.unavailable(source);
    try {
      return await this.load(source, source.fetches === 0 ? 'startup' : trigger);
    } catch {
      throw this.unavailable(source);
    }
  }

  private unavailable(source: KeySource): TemporarilyUnavailableException {
    return new TemporarilyUnavailableException('keys_unavailable', this.secondsUntilNextAttempt(source));
  }

  private secondsUntilNextAttempt(source: KeySource): number {
    return Math.max(1, Math.ceil((source.backoff.nextAttemptAt - this.clock.now()) / 1000));
  }

  /**
   * Single-flight: every caller during a fetch shares its outcome. The fetch counts as over before
   * anything reacts to its outcome: a refresh scheduled (or an event listener run) by that outcome
   * must start a new fetch, not join the finished one. `trigger` names why the fetch that starts
   * here was needed (a caller that joins one under way changes nothing).
   */
  private load(source: KeySource, trigger: FetchTrigger, background = false): Promise<KeySet> {
    let held: KeySet | undefined;
    return this.fetches.run(
      source.version,
      () => {
        held = this.heldKeySet(source);
        source.fetches++;
        const sequence = ++this.fetchesStarted;
        return this.telemetry.fetchKeySet(source.version, trigger, background, () =>
          fetchKeySet(this.settings, this.http, source.version, held, this.clock.now(), sequence),
        );
      },
      (outcome) => {
        if (outcome.status === 'fulfilled') this.succeeded(source, held, outcome.value);
        else this.failed(source, keySetFailureOf(outcome.reason));
      },
    );
  }

  private succeeded(source: KeySource, previous: KeySet | undefined, keySet: KeySet): void {
    source.recordSuccess(keySet);
    this.scheduleRefresh(source, this.jitteredRefreshMs(), 'refresh');
    const before = new Set(previous?.keys.keys() ?? []);
    const after = [...keySet.keys.keys()];
    this.emit('keys_refreshed', {
      version: source.version,
      keyCount: keySet.keys.size,
      kidsAdded: after.filter((kid) => !before.has(kid)).length,
      kidsRemoved: [...before].filter((kid) => !keySet.keys.has(kid)).length,
    });
  }

  private failed(source: KeySource, reason: KeySetFailure): void {
    const now = this.clock.now();
    const held = this.heldKeySet(source);
    source.recordFailure(reason, now);
    const delay = source.backoff.failed(now, held ? REFRESH_BACKOFF : NO_KEYS_BACKOFF);
    // Retry in the background too, so the cache heals (and health turns green) without traffic.
    this.scheduleRefresh(source, delay, 'retry');
    const retryInSeconds = Math.ceil(delay / 1000);
    const consecutiveFailures = source.backoff.consecutiveFailures;
    if (reason === 'tenant_not_found') this.reportTenantNotFound();
    this.emit('refresh_failed', { version: source.version, reason, consecutiveFailures, retryInSeconds });
    if (held) {
      const ageSeconds = Math.floor((now - held.fetchedAt) / 1000);
      this.emit('serving_stale_keys', {
        version: source.version,
        ageSeconds,
        expiresInSeconds: Math.max(0, this.settings.jwksStaleMaxAge - ageSeconds),
      });
    } else {
      this.emit('keys_unavailable', { version: source.version, reason, retryInSeconds });
    }
  }

  /**
   * A wrong tenant is a configuration error that looks like an outage (every request 503): said
   * once per cache, loudly, naming the setting to fix (docs/design.md#d63).
   */
  private reportTenantNotFound(): void {
    if (this.tenantNotFoundReported) return;
    this.tenantNotFoundReported = true;
    this.logger.error(
      `the authority does not know the tenant "${this.settings.tenantId}" (AADSTS90002, invalid_tenant): check ${describeVariables('tenantId')}, the tenant's GUID or one of its verified domains (contoso.onmicrosoft.com). Until it is fixed every token is answered 503 keys_unavailable.`,
      { code: 'ENTRA_AUTH_TENANT_NOT_FOUND', tenantId: this.settings.tenantId },
    );
  }

  private scheduleRefresh(source: KeySource, delayMs: number, trigger: FetchTrigger): void {
    source.refreshTask?.cancel();
    if (this.closed) return;
    source.refreshTask = this.clock.schedule(() => {
      source.refreshTask = undefined;
      void this.load(source, trigger, true).catch(() => undefined);
    }, delayMs);
  }

  private jitteredRefreshMs(): number {
    const jitter = 1 + (Math.random() * 2 - 1) * REFRESH_JITTER;
    return Math.round(this.settings.jwksRefreshInterval * 1000 * jitter);
  }

  /** Logged, then told to listeners. A throwing listener must not break key handling: its error is reported, never propagated. */
  private emit<E extends JwksCacheEventName>(event: E, payload: JwksCacheEvents[E]): void {
    logJwksCacheEvent(this.logger, event, payload);
    for (const listener of this.events.listeners(event)) {
      try {
        (listener as JwksCacheListener<E>)(payload);
      } catch (error) {
        this.logger.warn(`a JwksCache "${event}" listener threw: ${String(error)}`, {
          code: 'ENTRA_AUTH_LISTENER',
          event,
        });
      }
    }
  }
}
