import { inject, injectable } from 'tsyringe';
import { RuleProgress, type RuleTrace } from './acceptance-rules';
import { readBearerToken } from './bearer-token';
import { deepFreeze, hasDocumentedShapes, ownClaim, type ClaimSet, type EntraIdClaims } from './claims';
import { Clock } from '../clock';
import type { AuthorizationPolicy } from '../authorization/authorization-policy';
import { EntraIdUser } from '../authorization/entra-id-user';
import { EntraAuthError, InvalidTokenException } from '../errors';
import { GroupsProvider } from '../authorization/groups-provider';
import { findGuid, isGuid, sameGuid } from '../guid';
import { issuerOfTenant } from '../keys/issuer-template';
import { JwksCache, type OpenIdConfig } from '../keys/jwks-cache';
import { Logger } from '../telemetry/logger';
import { parseToken, type ParsedToken } from './parsed-token';
import { PermissionsProvider } from '../authorization/permissions-provider';
import { RevocationList } from '../revocation/revocation-list';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { refusalLogFields } from '../telemetry/refusal-log-fields';
import { Settings, type TokenVersion } from '../settings/settings';
import { satisfiesKeyIssuers } from '../keys/key-issuer-binding';
import { assertKeyAllows, assertSignature } from './signature';
import type { SigningKey } from '../keys/signing-key';
import { NO_TELEMETRY, Telemetry, type ValidationSpan } from '../telemetry/telemetry';
import type { VerifiedAccessToken } from './verified-access-token';
import { VerifiedTokenCache, type CachedVerification } from './verified-token-cache';

/** The latest `exp` any real token claims (9999-12-31T23:59:59Z); beyond it is garbage or Infinity. */
const MAX_EXP = 253402300799;

/**
 * Validates Entra ID access tokens by the acceptance rules of docs/design.md and maps them to users.
 * Every rejection is an {@link InvalidTokenException} with a reason code, or a 503
 * `keys_unavailable` when the keys cannot be had; no other error escapes for any token input.
 */
@injectable()
export class EntraIdProvider {
  /** Private to this instance: another provider may run under other settings. */
  private readonly verifiedTokens: VerifiedTokenCache;
  /** What the users this provider creates are authorized under. */
  private readonly authorizationPolicy: AuthorizationPolicy;

  constructor(
    @inject(Settings) private readonly settings: Settings,
    @inject(JwksCache) private readonly jwksCache: JwksCache,
    @inject(Clock) private readonly clock: Clock,
    @inject(GroupsProvider) private readonly groupsProvider: GroupsProvider,
    @inject(PermissionsProvider) private readonly permissionsProvider: PermissionsProvider,
    @inject(RevocationList) private readonly revocations: RevocationList,
    @inject(Telemetry) private readonly telemetry: Telemetry = NO_TELEMETRY,
    @inject(Logger) private readonly logger: Logger = new ProcessWarningLogger(),
  ) {
    this.verifiedTokens = new VerifiedTokenCache(settings.tokenCacheMaxEntries);
    telemetry.observeTokenCache(this.verifiedTokens);
    this.authorizationPolicy = Object.freeze({
      allowGuests: settings.allowGuests,
      externalId: settings.isExternalId,
      claimsChallengeAuthority: Object.freeze(settings.claimsChallengeAuthority),
    });
  }

  /**
   * The request's bearer token (rule 1's request part: the `Authorization` header of Node's
   * `rawHeaders`), verified by {@link verifyToken}; undefined when the request carries no bearer
   * credentials. A malformed header is refused, counted and logged like any other refusal.
   */
  async verifyRequest(rawHeaders: readonly string[]): Promise<VerifiedAccessToken | undefined> {
    let token: string | undefined;
    try {
      token = readBearerToken(rawHeaders, this.settings.maxTokenBytes);
    } catch (error) {
      // Reading the header takes well under a microsecond: its refusals count as taking none.
      if (error instanceof EntraAuthError) {
        this.refused(this.telemetry.validationStarted(), error, undefined, undefined, false, undefined);
      }
      throw error;
    }
    return token === undefined ? undefined : this.verifyToken(token);
  }

  /**
   * Rules 1 to 10, in order; the first that fails names the reason. With a `trace`, the token is
   * verified in full (never answered from the verified-token cache) and the trace is told each
   * rule's outcome as it is decided; without one, nothing is reported and nothing is spent on it.
   * Each untraced validation is counted (and, when validation spans are on, runs in a span); the
   * rules know nothing of either. A token that passes the rules then meets the revocation list,
   * cached or not (docs/design.md, T4): a revocation refuses a token from the next request on.
   */
  verifyToken(token: string, trace?: RuleTrace): Promise<VerifiedAccessToken> {
    if (trace) {
      // Revocation is no acceptance rule: it follows the rules' trace rather than adding to it.
      return this.verifyTraced(token, new RuleProgress(trace)).then((verified) => {
        this.revocations.assertNotRevoked(verified.claims);
        return verified;
      });
    }
    const started = this.telemetry.validationStarted();
    if (!this.telemetry.tracesValidations) return this.verifyCounted(token, started, undefined);
    return this.telemetry.traceValidation((span) => this.verifyCounted(token, started, span));
  }

  private async verifyCounted(
    token: string,
    started: number,
    span: ValidationSpan | undefined,
  ): Promise<VerifiedAccessToken> {
    // An instance's first answers wait (briefly) until it knows the fleet's revocations.
    if (this.revocations.firstRead) await this.revocations.firstRead;
    const cached = this.verifiedTokens.get(token);
    if (cached && this.stillVerifiedBy(token, cached)) {
      const { verified } = cached;
      try {
        this.checkLifetime(verified.claims);
      } catch (error) {
        this.verifiedTokens.delete(token);
        this.refused(started, error as EntraAuthError, verified.version, verified, true, span);
        throw error;
      }
      return this.unlessRevoked(verified, started, true, span);
    }
    let parsed: ParsedToken | undefined;
    let verified: VerifiedAccessToken;
    try {
      parsed = parseToken(token, this.settings);
      verified = await this.verifyByRules(token, parsed);
    } catch (error) {
      const refusal = asRefusal(error);
      this.refused(started, refusal, parsed?.version, parsed, false, span);
      throw refusal;
    }
    return this.unlessRevoked(verified, started, false, span);
  }

  /** A token that passed the rules, unless revoked (`session_revoked`); counted either way. */
  private unlessRevoked(
    verified: VerifiedAccessToken,
    started: number,
    cacheHit: boolean,
    span: ValidationSpan | undefined,
  ): VerifiedAccessToken {
    try {
      this.revocations.assertNotRevoked(verified.claims);
    } catch (error) {
      this.refused(started, error as EntraAuthError, verified.version, verified, cacheHit, span);
      throw error;
    }
    this.telemetry.validated(started, undefined, verified.version, cacheHit, span);
    return verified;
  }

  /** Counted, and logged at debug with the token's safe fields (never the token, never a name or an email). */
  private refused(
    started: number,
    refusal: EntraAuthError,
    version: TokenVersion | undefined,
    token: { readonly kid: string; readonly claims: Readonly<Record<string, unknown>> } | undefined,
    cacheHit: boolean,
    span: ValidationSpan | undefined,
  ): void {
    this.telemetry.validated(started, refusal, version, cacheHit, span);
    this.logger.debug('access token refused', refusalLogFields(refusal.reason, token?.kid, token?.claims));
  }

  private async verifyTraced(token: string, progress: RuleProgress): Promise<VerifiedAccessToken> {
    try {
      return await this.verifyByRules(token, parseToken(token, this.settings, progress), progress);
    } catch (error) {
      const refusal = asRefusal(error);
      progress.failed(refusal);
      throw refusal;
    }
  }

  private async verifyByRules(
    token: string,
    parsed: ParsedToken,
    progress?: RuleProgress,
  ): Promise<VerifiedAccessToken> {
    progress?.passed('header');
    // A token of unknown version is judged by the v2 keys, so that rule 6 refuses it in its turn.
    const key = await this.jwksCache.getSigningKey(parsed.version ?? '2.0', parsed.kid);
    assertKeyAllows(parsed, key);
    progress?.passed('signing_key');
    assertSignature(parsed, key);
    progress?.passed('signature');
    this.checkLifetime(parsed.claims);
    progress?.passed('time');
    const version = parsed.version;
    if (version === undefined) throw new InvalidTokenException('version_invalid');
    progress?.passed('version');
    await this.checkIssuerAndTenant(parsed, version, key);
    progress?.passed('issuer');
    this.checkAudience(parsed.claims);
    progress?.passed('audience');
    this.checkTokenKind(parsed.claims, version);
    progress?.passed('token_kind');
    this.checkClientApp(parsed.claims, version);
    progress?.passed('client_app');
    const claims = checkClaimShapes(parsed.claims);
    progress?.passed('claim_shapes');
    const verified: VerifiedAccessToken = {
      claims: deepFreeze(claims),
      header: deepFreeze(parsed.header),
      version,
      kid: parsed.kid,
    };
    // A v1 token's key binding was read from the v2 key set: a change of that set judges it anew.
    const bindingKeySet = version === '1.0' ? this.jwksCache.getKeys('2.0') : undefined;
    this.verifiedTokens.set(token, { verified, key, bindingKeySet });
    return verified;
  }

  /**
   * A token that passed every rule before is served from the cache while what can change since
   * still holds: the very key object that verified it still held for its kid (checked here), and
   * its lifetime by the clock now (checked by the caller). A refresh imports new key objects, so
   * each token is verified in full once more after every key-set change (for v1 tokens, of the v2
   * set that binds their key too), and a token whose kid left the set meets rule 3 again
   * (key_not_found).
   */
  private stillVerifiedBy(token: string, { verified, key, bindingKeySet }: CachedVerification): boolean {
    if (
      this.jwksCache.getKeys(verified.version).get(verified.kid) === key &&
      (bindingKeySet === undefined || this.jwksCache.getKeys('2.0') === bindingKeySet)
    ) {
      return true;
    }
    this.verifiedTokens.delete(token);
    return false;
  }

  /** The user for a verified token; groups and permissions come from the injected providers. */
  createUserFromToken(token: VerifiedAccessToken): EntraIdUser {
    return new EntraIdUser(
      token.claims,
      this.groupsProvider,
      this.permissionsProvider,
      this.settings.groupAliases,
      this.authorizationPolicy,
    );
  }

  /** The discovery document in force for a token version (fetched on first use). */
  getOpenIdConfig(version: TokenVersion = '2.0'): Promise<OpenIdConfig> {
    return this.jwksCache.getOpenIdConfig(version);
  }

  /** Fetches the discovery document and key set now. */
  loadJwks(version: TokenVersion = '2.0'): Promise<ReadonlyMap<string, SigningKey>> {
    return this.jwksCache.loadJwks(version);
  }

  /** The usable signing keys held now, by kid. */
  getKeys(version: TokenVersion = '2.0'): ReadonlyMap<string, SigningKey> {
    return this.jwksCache.getKeys(version);
  }

  /** Rule 5. Skew applies both ways, as in Microsoft.IdentityModel. */
  private checkLifetime(claims: ClaimSet): void {
    const now = this.clock.now() / 1000;
    const skew = this.settings.leeway;
    const exp = ownClaim(claims, 'exp');
    const nbf = ownClaim(claims, 'nbf');
    const iat = ownClaim(claims, 'iat');
    if (!isTimestamp(exp) || (nbf !== undefined && !isTimestamp(nbf)) || (iat !== undefined && !isTimestamp(iat))) {
      throw new InvalidTokenException('token_malformed');
    }
    if (exp <= now - skew) throw new InvalidTokenException('token_expired');
    if (nbf !== undefined && nbf > now + skew) throw new InvalidTokenException('token_not_yet_valid');
    if (iat !== undefined && iat > now + skew) throw new InvalidTokenException('iat_in_future');
    // A lifetime that ends before it starts is not a timing problem but a broken token.
    if (nbf !== undefined && nbf > exp) throw new InvalidTokenException('token_malformed');
  }

  /** Rules 6 and 7: the issuer of the token's version, bound to its tenant and to the key. */
  private async checkIssuerAndTenant(parsed: ParsedToken, version: TokenVersion, key: SigningKey): Promise<void> {
    const { claims } = parsed;
    const tenantId = ownClaim(claims, 'tid');
    if (parsed.tidMemberCount !== 1 || !isGuid(tenantId)) {
      throw new InvalidTokenException('tenant_invalid');
    }
    const issuer = ownClaim(claims, 'iss');
    if (typeof issuer !== 'string') throw new InvalidTokenException('issuer_invalid');
    const metadataIssuer = key.metadataIssuer;

    if (this.settings.isMultiTenant) {
      if (issuer !== issuerOfTenant(metadataIssuer, tenantId)) {
        throw new InvalidTokenException('issuer_invalid');
      }
      const allowed = this.settings.allowedTenants;
      if (allowed && !allowed.some((allowedTenant) => sameGuid(allowedTenant, tenantId))) {
        throw new InvalidTokenException('tenant_not_allowed');
      }
    } else {
      if (issuer !== metadataIssuer) throw new InvalidTokenException('issuer_invalid');
      // Configured by domain, the tenant's GUID is the one the discovery document names.
      const configuredTenant = isGuid(this.settings.tenantId) ? this.settings.tenantId : findGuid(metadataIssuer);
      if (!configuredTenant || !sameGuid(configuredTenant, tenantId)) {
        throw new InvalidTokenException('tenant_invalid');
      }
    }
    if (this.settings.issuer !== undefined && issuer !== this.settings.issuer) {
      throw new InvalidTokenException('issuer_invalid');
    }
    await this.checkKeyIssuer(version, key, issuer, tenantId);
  }

  /**
   * Rule 7's key issuer. The binding is read from the v2 key set for tokens of both versions:
   * v1 key sets carry no issuers, and reading the v1 key alone let a key bound to one tenant or
   * cloud sign v1 tokens for any other (the Storm-0558 pattern).
   */
  private async checkKeyIssuer(
    version: TokenVersion,
    key: SigningKey,
    issuer: string,
    tenantId: string,
  ): Promise<void> {
    const bindings = [
      ...(key.issuer === undefined ? [] : [key.issuer]),
      ...(version === '1.0' ? await this.jwksCache.getKeyIssuers(key.kid) : []),
    ];
    if (bindings.length === 0) return;
    const v2Issuer =
      version === '1.0' ? issuerOfTenant((await this.jwksCache.getOpenIdConfig('2.0')).issuer, tenantId) : undefined;
    if (!satisfiesKeyIssuers(bindings, { issuer, tenantId, v2Issuer })) {
      throw new InvalidTokenException('key_issuer_mismatch');
    }
  }

  /** Rule 8: one string audience, equal to a configured one. */
  private checkAudience(claims: ClaimSet): void {
    const audience = ownClaim(claims, 'aud');
    if (typeof audience !== 'string' || !this.settings.audiences.includes(audience)) {
      throw new InvalidTokenException('audience_invalid');
    }
  }

  /**
   * Rule 9: an access token, not an ID token replayed as one. Every Entra access token names its
   * client (`azp` in v2, `appid` in v1) and none carries a `nonce` claim; ID tokens do the
   * opposite, and an ID token of an app registration that is also an API may carry `roles`.
   */
  private checkTokenKind(claims: ClaimSet, version: TokenVersion): void {
    // Entra names the client by its application id: anything but a GUID is not Entra's doing.
    const namesItsClient = isGuid(ownClaim(claims, version === '2.0' ? 'azp' : 'appid'));
    if (!namesItsClient || ownClaim(claims, 'nonce') !== undefined) {
      throw new InvalidTokenException('not_an_access_token');
    }
    if (this.settings.allowAclAuthorization) return;
    // An empty scp or roles grants nothing, so it cannot make a token an access token either.
    if (!isNonEmpty(ownClaim(claims, 'scp')) && !isNonEmpty(ownClaim(claims, 'roles'))) {
      throw new InvalidTokenException('not_an_access_token');
    }
  }

  /**
   * Rule 10: with `ALLOWED_CLIENT_APPS`, the client the token was issued to (`azp` v2, `appid` v1,
   * a GUID since rule 9) is listed. A token of another client is not accepted by this API at all,
   * on any route: 401 `invalid_token`, like an audience of another API (docs/design.md#d70).
   */
  private checkClientApp(claims: ClaimSet, version: TokenVersion): void {
    const allowed = this.settings.allowedClientApps;
    if (allowed === undefined) return;
    const clientId = ownClaim(claims, version === '2.0' ? 'azp' : 'appid') as string;
    if (!allowed.some((allowedClient) => sameGuid(allowedClient, clientId))) {
      throw new InvalidTokenException('client_not_allowed');
    }
  }
}

/** Unreachable by design for anything but an EntraAuthError; if a bug ever gets here, the token is refused, not a 500. */
function asRefusal(error: unknown): EntraAuthError {
  return error instanceof EntraAuthError ? error : new InvalidTokenException('token_malformed');
}

function isNonEmpty(value: unknown): boolean {
  return (typeof value === 'string' && value.trim().length > 0) || (Array.isArray(value) && value.length > 0);
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value <= MAX_EXP;
}

/**
 * After rule 9: the claims the user is built from, and every claim {@link EntraIdClaims} types,
 * must have the types Entra gives them, so that nothing downstream meets a number where it expects
 * a string. `oid` is required: identity is (tid, oid). Rules 6 and 7 have checked `ver` and `tid`.
 */
function checkClaimShapes(claims: ClaimSet): EntraIdClaims {
  // `acct` decides who is a guest: 0 (a member) or 1 (a guest), as Entra emits it (docs/design.md#d74).
  const acct = ownClaim(claims, 'acct');
  if (!isGuid(ownClaim(claims, 'oid')) || !hasDocumentedShapes(claims) || ![undefined, 0, 1].includes(acct as number)) {
    throw new InvalidTokenException('token_malformed');
  }
  return claims as EntraIdClaims;
}
