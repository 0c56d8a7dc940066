import { inject, injectable } from 'tsyringe';
import { Clock, type ScheduledTask } from './clock';
import { InvalidTokenException, TemporarilyUnavailableException } from './errors';
import { HttpClient } from './http-client';
import { findGuid } from './guid';
import { ownMember } from './json-object';
import { Settings, type TokenVersion } from './settings';
import { selectUsableKeys, type SigningKey } from './signing-key';

/** The parts of an OpenID Connect discovery document that validation depends on. */
export interface OpenIdConfig {
  /** `M` of rule 7: a concrete issuer (single tenant) or a `{tenantid}` template (multi-tenant). */
  readonly issuer: string;
  readonly jwksUri: string;
}

/** Why a discovery or key-set fetch was refused. */
export type KeySetFailure =
  | 'network_error'
  | 'http_status'
  | 'invalid_json'
  | 'invalid_discovery'
  | 'jwks_uri_off_authority'
  | 'invalid_key_set'
  | 'no_usable_keys';

class KeySetFetchError extends Error {
  constructor(readonly failure: KeySetFailure) {
    super(`key set fetch failed: ${failure}`);
  }
}

interface KeySet {
  readonly config: OpenIdConfig;
  readonly keys: ReadonlyMap<string, SigningKey>;
  readonly fetchedAt: number;
}

/** Everything the cache holds for one token version of the configured tenant. */
class KeySource {
  current: KeySet | undefined;
  inflight: Promise<KeySet> | undefined;
  lastUnknownKidRefetchAt: number | undefined;
  consecutiveFailures = 0;
  nextAttemptAt = 0;
  refreshTask: ScheduledTask | undefined;

  constructor(readonly version: TokenVersion) {}
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
const REFRESH_JITTER = 0.05;

/**
 * Discovery documents and signing keys of the configured tenant, per token version (v1 and v2
 * documents have different issuers and key sets). One fetch serves any number of concurrent
 * requests; unknown kids trigger a refetch at most once per cooldown; refreshes run in the
 * background and never sit on a request's path while good keys exist.
 */
@injectable()
export class JwksCache {
  private readonly sources: Record<TokenVersion, KeySource> = {
    '1.0': new KeySource('1.0'),
    '2.0': new KeySource('2.0'),
  };
  private closed = false;

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(HttpClient) private readonly http: HttpClient,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * The key a token names by `kid` (never "try every key"). Throws `key_not_found` when the
   * issuer does not publish it, `keys_unavailable` (503) when no key set can be had.
   */
  async getSigningKey(version: TokenVersion, kid: string): Promise<SigningKey> {
    const source = this.sources[version];
    const held = this.heldKeySet(source);
    // A held kid never waits, not even behind a fetch under way (an attacker can start one).
    const heldKey = held?.keys.get(kid);
    if (heldKey) return heldKey;

    let keySet: KeySet;
    if (!held) {
      // Freshly fetched for this request: an unknown kid needs no second fetch.
      keySet = await this.loadForRequest(source);
    } else if (source.inflight) {
      keySet = await this.joinInflight(source, held);
    } else if (this.unknownKidRefetchAllowed(source)) {
      source.lastUnknownKidRefetchAt = this.clock.now();
      keySet = await this.load(source).catch(() => held);
    } else {
      keySet = held;
    }
    const key = keySet.keys.get(kid);
    if (key) return key;
    throw new InvalidTokenException('key_not_found');
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
      return (await this.load(source)).keys;
    } catch {
      throw this.unavailable(source);
    }
  }

  /** The usable keys held for a token version, without fetching. */
  getKeys(version: TokenVersion): ReadonlyMap<string, SigningKey> {
    return this.heldKeySet(this.sources[version])?.keys ?? new Map();
  }

  /** Cancels scheduled refreshes; fetches under way finish but schedule nothing. */
  close(): void {
    this.closed = true;
    for (const source of Object.values(this.sources)) source.refreshTask?.cancel();
  }

  /** The last good key set, while younger than JWKS_STALE_MAX_AGE; past that the cache fails closed. */
  private heldKeySet(source: KeySource): KeySet | undefined {
    const current = source.current;
    if (!current) return undefined;
    const age = this.clock.now() - current.fetchedAt;
    return age <= this.settings.jwksStaleMaxAge * 1000 ? current : undefined;
  }

  private unknownKidRefetchAllowed(source: KeySource): boolean {
    const last = source.lastUnknownKidRefetchAt;
    return last === undefined || this.clock.now() - last >= this.settings.jwksCooldown * 1000;
  }

  private async joinInflight(source: KeySource, fallback: KeySet): Promise<KeySet> {
    return (source.inflight ?? Promise.resolve(fallback)).catch(() => fallback);
  }

  /** A load on a request's path, when nothing is held: honours the retry backoff. */
  private async loadForRequest(source: KeySource): Promise<KeySet> {
    if (!source.inflight && this.clock.now() < source.nextAttemptAt) throw this.unavailable(source);
    try {
      return await this.load(source);
    } catch {
      throw this.unavailable(source);
    }
  }

  private unavailable(source: KeySource): TemporarilyUnavailableException {
    const waitMs = Math.max(source.nextAttemptAt - this.clock.now(), 0);
    return new TemporarilyUnavailableException('keys_unavailable', Math.max(1, Math.ceil(waitMs / 1000)));
  }

  /** Single-flight: every caller during a fetch shares its outcome. */
  private load(source: KeySource): Promise<KeySet> {
    if (!source.inflight) {
      const fetching = this.fetchKeySet(source.version).then(
        (keySet) => {
          source.current = keySet;
          source.consecutiveFailures = 0;
          source.nextAttemptAt = 0;
          this.scheduleRefresh(source, this.jitteredRefreshMs());
          return keySet;
        },
        (error: unknown) => {
          source.consecutiveFailures++;
          const backoff = Math.min(FIRST_RETRY_MS * 2 ** (source.consecutiveFailures - 1), MAX_RETRY_MS);
          source.nextAttemptAt = this.clock.now() + backoff;
          // With good keys held, retry in the background; without, requests retry after the backoff.
          if (source.current) this.scheduleRefresh(source, MAX_RETRY_MS);
          throw error;
        },
      );
      source.inflight = fetching.finally(() => {
        source.inflight = undefined;
      });
      // The scheduled-refresh path has no awaiting caller: keep its rejection from going unhandled.
      source.inflight.catch(() => undefined);
    }
    return source.inflight;
  }

  private scheduleRefresh(source: KeySource, delayMs: number): void {
    source.refreshTask?.cancel();
    if (this.closed) return;
    source.refreshTask = this.clock.schedule(() => {
      source.refreshTask = undefined;
      void this.load(source).catch(() => undefined);
    }, delayMs);
  }

  private jitteredRefreshMs(): number {
    const jitter = 1 + (Math.random() * 2 - 1) * REFRESH_JITTER;
    return Math.round(this.settings.jwksRefreshInterval * 1000 * jitter);
  }

  private async fetchKeySet(version: TokenVersion): Promise<KeySet> {
    const config = this.parseDiscovery(await this.fetchJson(this.settings.discoveryUrl(version)));
    const keys = selectUsableKeys(await this.fetchJson(config.jwksUri), config.issuer);
    if (!keys) throw new KeySetFetchError('invalid_key_set');
    if (keys.size === 0) throw new KeySetFetchError('no_usable_keys');
    return { config, keys, fetchedAt: this.clock.now() };
  }

  private parseDiscovery(document: unknown): OpenIdConfig {
    if (typeof document !== 'object' || document === null) {
      throw new KeySetFetchError('invalid_discovery');
    }
    const issuer = ownMember(document, 'issuer');
    const jwksUri = ownMember(document, 'jwks_uri');
    if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || !this.issuerHasExpectedShape(issuer)) {
      throw new KeySetFetchError('invalid_discovery');
    }
    let jwksUrl: URL;
    try {
      jwksUrl = new URL(jwksUri);
    } catch {
      throw new KeySetFetchError('invalid_discovery');
    }
    // The key set decides who may sign tokens: it must come from the authority we were told to trust.
    if (jwksUrl.origin !== this.settings.authorityOrigin || jwksUrl.username || jwksUrl.password) {
      throw new KeySetFetchError('jwks_uri_off_authority');
    }
    return { issuer, jwksUri: jwksUrl.toString() };
  }

  /** Multi-tenant documents carry a `{tenantid}` template; single-tenant ones name the tenant's GUID. */
  private issuerHasExpectedShape(issuer: string): boolean {
    if (this.settings.isMultiTenant) return issuer.includes('{tenantid}');
    const tenantGuid = findGuid(issuer);
    if (!tenantGuid) return false;
    return !findGuid(this.settings.tenantId) || tenantGuid.toLowerCase() === this.settings.tenantId.toLowerCase();
  }

  private async fetchJson(url: string): Promise<unknown> {
    let response;
    try {
      response = await this.http.get(url, {
        timeoutMs: this.settings.httpTimeoutMs,
        maxBytes: this.settings.httpMaxBytes,
      });
    } catch {
      throw new KeySetFetchError('network_error');
    }
    if (response.status !== 200) throw new KeySetFetchError('http_status');
    try {
      return JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new KeySetFetchError('invalid_json');
    }
  }
}
