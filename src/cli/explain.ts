import { EntraAuthError, type ReasonCode } from '../core/errors';
import { EntraIdProvider } from '../core/token/entra-id-provider';
import { JwksCache } from '../core/keys/jwks-cache';
import type { Settings, TokenVersion } from '../core/settings/settings';
import type { VerifiedAccessToken } from '../core/token/verified-access-token';
import { diagnoseKeySetFailure } from './authority-diagnosis';
import type { CliContext } from './cli-context';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { RecordingHttpClient } from './recording-http-client';
import { explainRefusal, type Explanation } from './refusal-explanations';
import type { RouteVerdict } from './route-check';
import { RuleLog, type RuleOutcome } from './rule-log';
import { settingsWith } from './settings-variant';
import { decodeToken, viewOf, type TokenView } from './token-view';
import { viewOfUser, type UserView } from './user-view';

export interface ExplainOptions {
  readonly token: string;
  /** `"GET /admin/users"`; its controllers are loaded already (`--app`). */
  readonly route?: string;
  readonly showPersonal: boolean;
}

/** Everything `explain` prints, as `--json` prints it. */
export interface ExplainReport {
  readonly command: 'explain';
  readonly valid: boolean;
  readonly exitCode: ExitCode;
  readonly settings: SettingsSummary;
  readonly token: TokenView | undefined;
  /** The validator's account, rule by rule, up to the first that fails. */
  readonly rules: readonly RuleOutcome[];
  readonly refusal?: { readonly reason: ReasonCode; readonly status: number; readonly description: string };
  readonly explanation?: Explanation;
  readonly user?: UserView;
  readonly route?: RouteVerdict;
}

/** What the token was judged against (no secret). */
export interface SettingsSummary {
  readonly source: CliContext['source'];
  readonly tenantId: string;
  readonly audiences: readonly string[];
  readonly authority: string;
  readonly leewaySeconds: number;
}

/**
 * Runs the library's own validator on the token, with a trace, and explains the outcome: the
 * rules in order up to the first failure, the fix, the user it builds and, with a route, what the
 * route's `@Authorized` says. Nothing here re-decides a rule.
 */
export async function explain(options: ExplainOptions, context: CliContext): Promise<ExplainReport> {
  const { settings, clock } = context;
  const http = new RecordingHttpClient(context.http, () => clock.now());
  const cache = new JwksCache(settings, http, clock);
  const provider = new EntraIdProvider(settings, cache, clock, context.groupsProvider, context.permissionsProvider);
  const log = new RuleLog();
  const decoded = decodeToken(options.token);
  let verified: VerifiedAccessToken | undefined;
  let refusal: EntraAuthError | undefined;
  try {
    verified = await provider.verifyToken(options.token, log);
  } catch (error) {
    if (!(error instanceof EntraAuthError)) throw error;
    refusal = error;
  }

  const probes: JwksCache[] = [];
  try {
    const explanation =
      refusal && log.failedRule
        ? await explainRefusal({
            refusal,
            rule: log.failedRule,
            decoded,
            settings,
            nowSeconds: Math.floor(clock.now() / 1000),
            metadataIssuer: (version) =>
              provider.getOpenIdConfig(version).then(
                (config) => config.issuer,
                () => undefined,
              ),
            publishedKids: (version) => [...provider.getKeys(version).keys()],
            listsKidForApp: async (appId, version, kid) => {
              const probe = new JwksCache(settingsWith(settings, { signingKeysAppId: appId }), http, clock);
              probes.push(probe);
              return probe.loadJwks(version).then(
                (keys) => keys.has(kid),
                () => false,
              );
            },
            diagnoseKeys: (version) =>
              diagnoseKeySetFailure(settings, version, failureOf(cache, version), http.exchanges),
          })
        : undefined;
    const user = verified ? provider.createUserFromToken(verified) : undefined;
    const route = options.route
      ? await (await import('./route-check.js')).checkRoute(options.route, user, refusal, settings)
      : undefined;
    return {
      command: 'explain',
      valid: refusal === undefined,
      exitCode: exitCodeOf(refusal, route, settings, cache, http, decoded.claims?.ver),
      settings: summaryOf(context),
      token: viewOf(decoded, options.showPersonal),
      rules: log.outcomes,
      ...(refusal
        ? { refusal: { reason: refusal.reason, status: refusal.status, description: refusal.description } }
        : {}),
      ...(explanation ? { explanation } : {}),
      ...(user ? { user: await viewOfUser(user, options.showPersonal) } : {}),
      ...(route ? { route } : {}),
    };
  } finally {
    for (const open of [cache, ...probes]) open.close();
  }
}

function exitCodeOf(
  refusal: EntraAuthError | undefined,
  route: RouteVerdict | undefined,
  settings: Settings,
  cache: JwksCache,
  http: RecordingHttpClient,
  ver: unknown,
): ExitCode {
  if (refusal?.reason === 'keys_unavailable') {
    const version: TokenVersion = ver === '1.0' ? '1.0' : '2.0';
    return diagnoseKeySetFailure(settings, version, failureOf(cache, version), http.exchanges).exitCode;
  }
  if (route?.verdict === 'not_found' || route?.verdict === 'invalid') return EXIT_CODES.configuration;
  if (refusal || route?.verdict === 'refused') return EXIT_CODES.refused;
  return EXIT_CODES.ok;
}

function failureOf(cache: JwksCache, version: TokenVersion) {
  return cache.health().keySets.find((keySet) => keySet.version === version)?.lastError;
}

function summaryOf({ settings, source }: CliContext): SettingsSummary {
  return {
    source,
    tenantId: settings.tenantId,
    audiences: settings.audiences,
    authority: settings.authorityOrigin,
    leewaySeconds: settings.leeway,
  };
}
