import { isGuid } from '../guid';
import { EXTERNAL_ID, isBareSubdomain } from './external-id';
import type { Settings } from './settings';
import { WORKFORCE_DISCOVERY_TEMPLATE, describeVariables as named, type SettingKey } from './settings-table';

type Environment = Readonly<Record<string, string | undefined>>;

/** What a rule between settings sees: settings each valid on their own or not, before stand-ins. */
export interface CheckContext {
  readonly settings: Settings;
  /** Whether a setting passed its own checks (and so holds a value of its kind, or nothing). */
  valid(key: SettingKey): boolean;
  readonly env: Environment;
}

/** The rules between settings, in the order their problems are listed. */
export const CROSS_FIELD_CHECKS: readonly ((context: CheckContext) => string[])[] = [
  keyCacheTiming,
  tenantsOfMultiTenantApps,
  credentialNeedsClientId,
  disabledOnlyLocally,
  externalIdTenant,
];

/** Durations that only make sense in one order ([D12]); checked when each is a whole number. */
function keyCacheTiming({ settings }: CheckContext): string[] {
  const { jwksRefreshInterval: refresh, jwksCooldown: cooldown, jwksStaleMaxAge: staleMaxAge } = settings;
  if (![refresh, cooldown, staleMaxAge].every((value) => Number.isInteger(value))) return [];
  const problems: string[] = [];
  if (staleMaxAge < refresh) {
    problems.push(
      `${named('jwksStaleMaxAge')}: must be at least ${named('jwksRefreshInterval')} (${refresh}); otherwise held keys expire before they are refreshed`,
    );
  }
  if (cooldown > refresh) {
    problems.push(`${named('jwksCooldown')}: must not exceed ${named('jwksRefreshInterval')} (${refresh})`);
  }
  return problems;
}

/** An allow-list, or "any tenant", only for multi-tenant apps, which must say one of them ([D10]). */
function tenantsOfMultiTenantApps({ settings, valid }: CheckContext): string[] {
  if (settings.tenantId === undefined || !valid('tenantId')) return [];
  const { allowedTenants, validateTenant } = settings;
  if (!settings.isMultiTenant) {
    return [
      ...(allowedTenants !== undefined
        ? [
            `${named('allowedTenants')}: only for multi-tenant apps (tenant "common" or "organizations"); a single-tenant app accepts its own tenant only`,
          ]
        : []),
      ...(validateTenant === false
        ? [`${named('validateTenant')}: "false" (accept any tenant) is refused for a single-tenant app`]
        : []),
    ];
  }
  if (validateTenant === false && allowedTenants !== undefined) {
    return [
      `${named('validateTenant')}: "false" (accept any tenant) contradicts ${named('allowedTenants')}; remove one`,
    ];
  }
  if (validateTenant !== false && allowedTenants === undefined) {
    // "Any tenant" is what a multi-tenant SaaS API wants, but it must be said, never a default.
    return [
      `${named('allowedTenants')}: a multi-tenant app must list the tenant GUIDs it accepts, or set ${named('validateTenant')}=false to accept any tenant explicitly`,
    ];
  }
  return [];
}

/** Graph lookups authenticate as the API, so a credential needs the API's client GUID ([D22]). */
function credentialNeedsClientId({ settings }: CheckContext): string[] {
  // Under AUTH_MIDDLEWARE_DISABLED unset audiences are none, and so hold no client id either.
  const audiences: unknown = settings.audiences ?? (settings.middlewareDisabled === true ? [] : undefined);
  if (settings.clientCredential === undefined || !Array.isArray(audiences) || audiences.some(isGuid)) return [];
  return [
    `${named('clientCredential')}: Graph lookups authenticate as the API, so ${named('audiences')} must include its application (client) GUID`,
  ];
}

/**
 * AUTH_MIDDLEWARE_DISABLED lets every request in: allowed only where NODE_ENV, in the environment
 * given and in `process.env` (either may be what the process really runs under), is unset or
 * names a local environment. An allow-list, not "refuse production": `Production`, `prod`,
 * `"production"` with its quotes, `production-eu` or a zero-width character would each slip past a
 * comparison with one spelling ([D31]).
 */
function disabledOnlyLocally({ settings, env }: CheckContext): string[] {
  if (settings.middlewareDisabled !== true) return [];
  if (isLocal(env.NODE_ENV) && isLocal(process.env.NODE_ENV)) return [];
  return [
    `${named('middlewareDisabled')}: allowed only when NODE_ENV is unset, development, test or local; it lets every request in`,
  ];
}

const LOCAL_ENVIRONMENTS = ['development', 'test', 'local'];

function isLocal(nodeEnv: string | undefined): boolean {
  return nodeEnv === undefined || nodeEnv.trim() === '' || LOCAL_ENVIRONMENTS.includes(nodeEnv.trim().toLowerCase());
}

/**
 * An External ID tenant is one tenant, on its own authority host ([D69]): never common or
 * organizations, and a tenant named by a domain other than `<subdomain>.onmicrosoft.com` needs its
 * authority (a custom URL domain) said. A bare subdomain names an External ID tenant only.
 */
function externalIdTenant({ settings, valid }: CheckContext): string[] {
  if (settings.tenantId === undefined || !valid('tenantId') || !valid('authorityType')) return [];
  if (settings.authorityType !== EXTERNAL_ID) {
    return isBareSubdomain(settings.tenantId) && !settings.isMultiTenant
      ? [
          `${named('tenantId')}: "${settings.tenantId}" is a bare name, which only an External ID tenant's subdomain is; set ${named('authorityType')}=external_id, or give the tenant's GUID or a verified domain`,
        ]
      : [];
  }
  if (settings.isMultiTenant) {
    return [
      `${named('authorityType')}: an External ID tenant is a single tenant; name it by its subdomain, <subdomain>.onmicrosoft.com or its GUID, not "${settings.tenantId}"`,
    ];
  }
  if (settings.jwksUrlTemplate === WORKFORCE_DISCOVERY_TEMPLATE) {
    return [
      `${named('jwksUrlTemplate')}: an External ID tenant named by another domain than <subdomain>.onmicrosoft.com needs its authority: set the discovery URL of its custom URL domain (https://<domain>/{}/v2.0/.well-known/openid-configuration), or name the tenant by its subdomain or GUID`,
    ];
  }
  return [];
}
