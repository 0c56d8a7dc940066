import { findGuid, isGuid } from '../core/guid';
import { issuerOfTenant } from '../core/keys/issuer-template';
import { JwksCache } from '../core/keys/jwks-cache';
import type { TokenVersion } from '../core/settings/settings';
import { variablesOf } from '../core/settings/settings-table';
import { diagnoseKeySetFailure } from './authority-diagnosis';
import type { CliContext } from './cli-context';
import { EXIT_CODES } from './exit-codes';
import { error, info, ok, warning, type Finding } from './finding';
import type { RecordingHttpClient } from './recording-http-client';
import { printable } from './printable';
import { settingsWith } from './settings-variant';

/** A difference between the clocks past this is worth a warning, well before LEEWAY refuses tokens. */
const SKEW_WARNING_SECONDS = 60;

export interface AuthorityChecks {
  readonly findings: readonly Finding[];
  /** Whether the v2 discovery document and keys could be had: the later checks need the authority. */
  readonly reachable: boolean;
}

/**
 * The tenant, its discovery documents and key sets (v2, then v1), fetched by the library's own key
 * cache through the app's HttpClient, the issuer's shape, `ENTRA_ISSUER`, the allow-list's tenants,
 * and this machine's clock against the authority's `Date`.
 */
export async function checkAuthority(context: CliContext, http: RecordingHttpClient): Promise<AuthorityChecks> {
  const { settings, clock } = context;
  const findings: Finding[] = [];
  const issuers: Partial<Record<TokenVersion, string>> = {};
  for (const version of ['2.0', '1.0'] as const) {
    const cache = new JwksCache(settings, http, clock);
    try {
      const keys = await cache.loadJwks(version);
      const issuer = (await cache.getOpenIdConfig(version)).issuer;
      issuers[version] = issuer;
      const discovery = http.last(settings.discoveryUrl(version));
      const elapsed = Math.round(discovery?.elapsedMs ?? 0);
      if (version === '2.0') findings.push(tenantFound(context, issuer));
      const [timeoutVariable] = variablesOf('httpTimeoutMs');
      findings.push(
        elapsed > settings.httpTimeoutMs / 2
          ? warning(
              `discovery v${version}`,
              `${settings.discoveryUrl(version)} answered in ${elapsed} ms, more than half of ${timeoutVariable}=${settings.httpTimeoutMs}.`,
              `A slow network path or proxy: raise ${timeoutVariable}, or fix the path.`,
            )
          : ok(
              `discovery v${version}`,
              `${settings.discoveryUrl(version)} answered in ${elapsed} ms (limit ${settings.httpTimeoutMs} ms).`,
            ),
        ok(
          `keys v${version}`,
          `${keys.size} usable signing key${keys.size === 1 ? '' : 's'}: ${[...keys.keys()].map(printable).join(', ')}.`,
        ),
        ok(`issuer v${version}`, issuerShape(context, issuer)),
      );
    } catch {
      const failure = cache.health().keySets.find((keySet) => keySet.version === version)?.lastError;
      const diagnosis = diagnoseKeySetFailure(settings, version, failure, http.exchanges);
      const check = diagnosis.check === 'tenant' ? 'tenant' : `${diagnosis.check} v${version}`;
      findings.push(error(check, diagnosis.summary, diagnosis.fix, diagnosis.exitCode));
      if (version === '2.0') return { findings: [...findings, ...clockSkew(context, http)], reachable: false };
    } finally {
      cache.close();
    }
  }
  findings.push(
    ...pinnedIssuer(context, issuers),
    ...(await allowedTenants(context, http)),
    ...clockSkew(context, http),
  );
  return { findings, reachable: true };
}

function tenantFound({ settings }: CliContext, issuer: string): Finding {
  if (settings.isMultiTenant) {
    return ok(
      'tenant',
      `${settings.tenantId}: multi-tenant; the authority's issuer is the template ${printable(issuer)}.`,
    );
  }
  const guid = findGuid(issuer);
  return ok(
    'tenant',
    isGuid(settings.tenantId)
      ? `The authority knows tenant ${settings.tenantId}.`
      : `The authority knows tenant ${settings.tenantId}: its GUID (the tid of its tokens) is ${guid}.`,
  );
}

function issuerShape({ settings }: CliContext, issuer: string): string {
  return settings.isMultiTenant
    ? `${printable(issuer)}: a {tenantid} template, filled with each token's tid.`
    : `${printable(issuer)}: names the tenant's GUID, as tokens of this tenant must.`;
}

/** `ENTRA_ISSUER` narrows: it must be one of the issuers the authority gives, or every token is refused. */
function pinnedIssuer({ settings }: CliContext, issuers: Partial<Record<TokenVersion, string>>): Finding[] {
  if (settings.issuer === undefined) {
    return [info('issuer', 'v1.0 and v2.0 tokens are both accepted, each judged by its own discovery document.')];
  }
  const pinned = settings.issuer;
  const matches = (['2.0', '1.0'] as const).filter((version) => {
    const issuer = issuers[version];
    if (issuer === undefined) return false;
    const tenant = findGuid(pinned);
    return issuer === pinned || (tenant !== undefined && issuerOfTenant(issuer, tenant) === pinned);
  });
  if (matches.length === 0) {
    return [
      error(
        'issuer',
        `ENTRA_ISSUER=${pinned} is none of the issuers this authority gives (v2.0 ${printable(issuers['2.0'] ?? '?')}, v1.0 ${printable(issuers['1.0'] ?? '?')}): every token is refused.`,
        'Unset ENTRA_ISSUER, or set it to the issuer of the token version your registration issues.',
        EXIT_CODES.configuration,
      ),
    ];
  }
  return [info('issuer', `ENTRA_ISSUER accepts v${matches.join(' and v')} tokens only.`)];
}

/** A tenant in `ALLOWED_TENANTS` the authority does not know is a typo: its users would be refused. */
async function allowedTenants(context: CliContext, http: RecordingHttpClient): Promise<Finding[]> {
  const { settings, clock } = context;
  const [allowedVariable] = variablesOf('allowedTenants');
  const findings: Finding[] = [];
  for (const tenant of settings.allowedTenants ?? []) {
    const variant = settingsWith(settings, { tenantId: tenant });
    const cache = new JwksCache(variant, http, clock);
    try {
      await cache.loadJwks('2.0');
    } catch {
      if (http.last(variant.discoveryUrl('2.0'))?.aadsts === 'AADSTS90002') {
        findings.push(
          warning(
            'allowed tenants',
            `Tenant ${tenant} of ${allowedVariable} does not exist (AADSTS90002).`,
            `Check ${allowedVariable}: a typo there refuses that customer's users.`,
          ),
        );
      }
    } finally {
      cache.close();
    }
  }
  return findings;
}

/**
 * This machine's clock against the authority's `Date` header (whole seconds, so ±1 s). Past
 * LEEWAY, valid tokens are refused as expired (clock ahead) or not yet valid (clock behind).
 */
function clockSkew({ settings }: CliContext, http: RecordingHttpClient): Finding[] {
  const dated = http.exchanges.find(
    (exchange) => exchange.date !== undefined && !Number.isNaN(Date.parse(exchange.date)),
  );
  if (!dated)
    return [info('clock', 'Not compared: the authority sent no Date header (or the HttpClient returns no headers).')];
  const skew = Math.round((dated.receivedAt - Date.parse(dated.date!)) / 1000);
  const direction = skew > 0 ? 'ahead of' : 'behind';
  const [leewayVariable] = variablesOf('leeway');
  const message = `This machine's clock is ${Math.abs(skew)} s ${direction} the authority's (Date header).`;
  if (Math.abs(skew) > settings.leeway) {
    return [
      error(
        'clock',
        `${message} That is more than ${leewayVariable}=${settings.leeway} s: fresh tokens are refused as ${skew > 0 ? 'expired too early' : 'not yet valid'}.`,
        "Synchronize this machine's clock (NTP).",
      ),
    ];
  }
  if (Math.abs(skew) > SKEW_WARNING_SECONDS) {
    return [
      warning(
        'clock',
        message,
        "Synchronize this machine's clock (NTP) before the difference grows past the skew allowed.",
      ),
    ];
  }
  return [ok('clock', `Within ${Math.abs(skew)} s of the authority's (limit ${settings.leeway} s).`)];
}
