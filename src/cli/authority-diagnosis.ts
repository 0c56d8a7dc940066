import type { KeySetFailure } from '../core/keys/key-set-fetcher';
import type { Settings, TokenVersion } from '../core/settings/settings';
import { variablesOf } from '../core/settings/settings-table';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { printable } from './printable';
import type { HttpExchange } from './recording-http-client';

/** Why the authority's documents or keys cannot be had, and what to change. */
export interface Diagnosis {
  /** What is at fault: the tenant, the discovery document (and the way to it), or the key set. */
  readonly check: 'tenant' | 'discovery' | 'keys';
  readonly summary: string;
  readonly fix: string;
  readonly exitCode: ExitCode;
}

/**
 * Names the cause of a key-set failure from the cache's failure code and what the authority
 * answered: an unknown tenant (AADSTS90002) is a configuration error, an unreachable or failing
 * authority is "keys unavailable".
 */
export function diagnoseKeySetFailure(
  settings: Settings,
  version: TokenVersion,
  failure: KeySetFailure | undefined,
  exchanges: readonly HttpExchange[],
): Diagnosis {
  const discoveryUrl = settings.discoveryUrl(version);
  const discovery = [...exchanges].reverse().find((exchange) => exchange.url === discoveryUrl);
  const last = exchanges[exchanges.length - 1];
  const origin = settings.authorityOrigin;
  const [tenantVariable, tenantAlias] = variablesOf('tenantId');
  const [template] = variablesOf('jwksUrlTemplate');
  const [timeout] = variablesOf('httpTimeoutMs');
  const [maxBytes] = variablesOf('httpMaxBytes');
  if (discovery?.aadsts === 'AADSTS90002') {
    return {
      check: 'tenant',
      summary: `Tenant not found: the authority ${origin} does not know tenant "${settings.tenantId}" (AADSTS90002).`,
      fix: `Check TENANT_ID (${tenantVariable} or ${tenantAlias}): the tenant's GUID (Directory (tenant) ID in the portal) or one of its verified domains; national clouds also need ${template} on their authority.`,
      exitCode: EXIT_CODES.configuration,
    };
  }
  switch (failure) {
    case 'network_error':
      return {
        check: 'discovery',
        summary: `No connection to the authority ${origin}.`,
        fix: `Check the network and the host of ${template}. Behind a proxy, register an HttpClient with the proxy's agent in your app's container and give the module that exports it with --app: Node ignores HTTPS_PROXY.`,
        exitCode: EXIT_CODES.keysUnavailable,
      };
    case 'timeout':
      return {
        check: 'discovery',
        summary: `The authority ${origin} did not answer within ${timeout}=${settings.httpTimeoutMs} ms.`,
        fix: `Check the network path to ${origin} (a proxy, a firewall dropping packets); raise ${timeout} if the authority is merely slow from here.`,
        exitCode: EXIT_CODES.keysUnavailable,
      };
    case 'too_large':
      return {
        check: 'discovery',
        summary: `An answer of ${origin} was larger than ${maxBytes}=${settings.httpMaxBytes} bytes.`,
        fix: `A proxy or portal may answer in its place; otherwise raise ${maxBytes}.`,
        exitCode: EXIT_CODES.keysUnavailable,
      };
    case 'http_status':
      return last?.status === 404 || last?.status === 400
        ? {
            check: 'discovery',
            summary: `The authority answered ${last.status} for ${printable(last.url)}: not a discovery document or key set.`,
            fix: `Check ${template}: Microsoft's v2 discovery URL with {} for the tenant, e.g. https://login.microsoftonline.com/{}/v2.0/.well-known/openid-configuration.`,
            exitCode: EXIT_CODES.configuration,
          }
        : {
            check: 'discovery',
            summary: `The authority answered ${last?.status ?? 'an error'} for ${printable(last?.url ?? discoveryUrl)}.`,
            fix: 'The authority is failing or a proxy refuses the request; the library serves 503 until it answers (a 3xx is never followed).',
            exitCode: EXIT_CODES.keysUnavailable,
          };
    case 'invalid_json':
      return {
        check: 'discovery',
        summary: `The authority's answer for ${printable(last?.url ?? discoveryUrl)} is not JSON.`,
        fix: 'A captive portal or a proxy page answers in its place: check the network path.',
        exitCode: EXIT_CODES.keysUnavailable,
      };
    case 'invalid_discovery':
      return {
        check: 'discovery',
        summary: settings.isMultiTenant
          ? "The discovery document's issuer has no {tenantid} template, as a multi-tenant (common, organizations) document must."
          : `The discovery document's issuer does not name tenant ${settings.tenantId}.`,
        fix: `Check TENANT_ID (${tenantVariable}) and ${template}: the document must be the tenant's own, from Microsoft's authority.`,
        exitCode: EXIT_CODES.configuration,
      };
    case 'jwks_uri_off_authority':
      return {
        check: 'discovery',
        summary: `The discovery document points its keys (jwks_uri) away from the authority ${origin}.`,
        fix: `${template} must be on the host that serves the keys: use the authority's own discovery URL, not a mirror.`,
        exitCode: EXIT_CODES.configuration,
      };
    case 'invalid_key_set':
    case 'no_usable_keys':
      return {
        check: 'keys',
        summary: `The key set of ${origin} holds no usable signing key (RSA, at least 2048 bits, e = 65537).`,
        fix: 'The authority or a proxy serves something else than Entra key sets; check the network path.',
        exitCode: EXIT_CODES.keysUnavailable,
      };
    default:
      return {
        check: 'discovery',
        summary: `The keys of ${origin} cannot be had right now.`,
        fix: 'Run entra-auth doctor to check the authority.',
        exitCode: EXIT_CODES.keysUnavailable,
      };
  }
}
