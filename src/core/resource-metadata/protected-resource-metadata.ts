import { ConfigurationError } from '../errors';
import { isAllowedAuthorityUrl } from '../settings/authority-url';
import type { Settings } from '../settings/settings';
import { describeVariables } from '../settings/settings-table';

/** RFC 9728 §3: the well-known URI suffix of protected resource metadata. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** What the document says beyond what the settings give. */
export interface ProtectedResourceMetadataOptions {
  /**
   * `scopes_supported`: the scopes a client requests for this API, as Entra names them
   * (`api://<client id>/access_as_user`, or `api://<client id>/.default` for app-only clients).
   */
  readonly scopesSupported?: readonly string[];
  /** `resource_name`: the API's name, for people. */
  readonly resourceName?: string;
  /** `resource_documentation`: where developers read how to use the API (an https URL). */
  readonly resourceDocumentation?: string;
}

/**
 * The metadata URL of a resource (RFC 9728 §3.1): the well-known suffix goes between the host and
 * the resource's path, a lone `/` path dropped: `https://api.example/mcp` →
 * `https://api.example/.well-known/oauth-protected-resource/mcp`.
 */
export function resourceMetadataUrl(resourceUrl: string): string {
  const url = new URL(resourceUrl);
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * The protected resource metadata document of this API (RFC 9728 §2), from the settings:
 * `resource` is `RESOURCE_URL` exactly (a client compares it with the URL it derived the
 * metadata URL from, §3.3), `authorization_servers` the v2 authority of the configured tenant
 * (`<authority>/<tenant>/v2.0`, whose `/.well-known/openid-configuration` is Entra's metadata;
 * `organizations` or `common` for a multi-tenant API), bearer tokens in the `Authorization`
 * header only (query strings and bodies are never read, rule 1). Throws a ConfigurationError
 * naming the setting or option at fault, so that a mount fails the start, never a request.
 */
export function protectedResourceMetadata(
  settings: Settings,
  options: ProtectedResourceMetadataOptions = {},
): Readonly<Record<string, unknown>> {
  const problems = optionProblems(options);
  if (settings.resourceUrl === undefined) {
    problems.unshift(
      `${describeVariables('resourceUrl')}: required to serve protected resource metadata; set this API's public URL`,
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  const discovery = settings.discoveryUrl('2.0');
  return Object.freeze({
    resource: settings.resourceUrl,
    authorization_servers: [discovery.slice(0, discovery.indexOf('/v2.0/') + '/v2.0'.length)],
    ...(options.scopesSupported ? { scopes_supported: [...options.scopesSupported] } : {}),
    bearer_methods_supported: ['header'],
    ...(options.resourceName !== undefined ? { resource_name: options.resourceName } : {}),
    ...(options.resourceDocumentation !== undefined ? { resource_documentation: options.resourceDocumentation } : {}),
  });
}

function optionProblems({
  scopesSupported,
  resourceName,
  resourceDocumentation,
}: ProtectedResourceMetadataOptions): string[] {
  const problems: string[] = [];
  if (
    scopesSupported !== undefined &&
    (!Array.isArray(scopesSupported) ||
      scopesSupported.length === 0 ||
      !scopesSupported.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)))
  ) {
    problems.push('scopesSupported: expected a non-empty array of scopes, printable ASCII without spaces or quotes');
  }
  if (resourceName !== undefined && (typeof resourceName !== 'string' || resourceName.trim() === '')) {
    problems.push('resourceName: expected a non-empty string');
  }
  if (
    resourceDocumentation !== undefined &&
    (typeof resourceDocumentation !== 'string' || !isAllowedAuthorityUrl(resourceDocumentation))
  ) {
    problems.push('resourceDocumentation: expected an https URL (http only for loopback hosts)');
  }
  return problems;
}
