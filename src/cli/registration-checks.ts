import { ClaimsGroupsProvider } from '../core/authorization/groups-provider';
import { ClaimsPermissionsProvider } from '../core/authorization/permissions-provider';
import { GraphGroupsProvider } from '../core/graph/graph-groups-provider';
import { isGuid, sameGuid } from '../core/guid';
import { parseJsonObject } from '../core/json-object';
import { variablesOf } from '../core/settings/settings-table';
import type { RouteEntry } from './app-routes';
import type { CliContext } from './cli-context';
import { error, info, ok, warning, type Finding } from './finding';
import { printable } from './printable';
import type { RecordingHttpClient } from './recording-http-client';

/** The Graph application permission that reading the API's own registration needs. */
export const REGISTRATION_PERMISSION = 'Application.Read.All';

/** Group claims that carry names (`sAMAccountName` and the like) instead of object ids. */
const GROUP_NAME_PROPERTIES = [
  'sam_account_name',
  'dns_domain_and_sam_account_name',
  'netbios_domain_and_sam_account_name',
  'cloud_displayname',
];

/** What the comparison reads of Graph's application resource. */
interface Registration {
  readonly appId: string;
  readonly identifierUris: readonly string[];
  /** `api.requestedAccessTokenVersion` (the manifest's `accessTokenAcceptedVersion`): null means 1. */
  readonly tokenVersion: 1 | 2;
  readonly scopes: ReadonlyMap<string, boolean>;
  readonly roles: ReadonlyMap<string, boolean>;
  readonly groupMembershipClaims: string | undefined;
  readonly accessTokenOptionalClaims: readonly {
    readonly name: string;
    readonly additionalProperties: readonly string[];
  }[];
}

/**
 * Reads the API's own app registration from Graph (`/v1.0/applications(appId='<id>')`, in the
 * tenant that owns it) and compares it with the settings and, when the app's controllers are
 * loaded, with every `@Authorized` and guard entry: an entry no registration defines can never be
 * granted.
 */
export async function checkRegistration(
  context: CliContext,
  http: RecordingHttpClient,
  appTokens: ReadonlyMap<string, string>,
  routes: readonly RouteEntry[] | undefined,
): Promise<Finding[]> {
  const { settings } = context;
  const appId = settings.clientId;
  if (appId === undefined || appTokens.size === 0) return [];
  const url = `${settings.graphUrl}/v1.0/applications(appId='${appId}')`;
  const statuses: number[] = [];
  for (const [tenant, token] of appTokens) {
    let response;
    try {
      response = await http.get(url, {
        timeoutMs: settings.httpTimeoutMs,
        maxBytes: settings.httpMaxBytes,
        headers: { authorization: `Bearer ${token}` },
      });
    } catch {
      return [
        error(
          'registration',
          `Graph cannot be reached to read the registration (${url}).`,
          'Check the network path to Graph.',
        ),
      ];
    }
    statuses.push(response.status);
    if (response.status === 200) {
      const registration = readRegistration(parseJsonObject(response.body));
      if (!registration) {
        return [
          error('registration', 'Graph answered an application object this check cannot read.', 'Check GRAPH_URL.'),
        ];
      }
      return [
        ok('registration', `Read the registration of ${appId} in tenant ${tenant}.`),
        ...compare(context, registration, routes),
      ];
    }
  }
  if (statuses.includes(403)) {
    return [
      warning(
        'registration',
        `Graph refuses to read the API's registration (403): the API lacks the application permission ${REGISTRATION_PERMISSION}. It is not compared with the configuration and the routes.`,
        `Optional: add Microsoft Graph ${REGISTRATION_PERMISSION} (Application) to the API's permissions and grant admin consent.`,
      ),
    ];
  }
  const [audienceVariable] = variablesOf('audiences');
  return [
    error(
      'registration',
      `No application with appId ${appId} in tenant ${[...appTokens.keys()].join(', ')} (Graph ${statuses.join(', ')}).`,
      `${audienceVariable} (or ENTRA_CLIENT_ID) must hold the API's own application id, registered in the tenant whose credentials are configured.`,
    ),
  ];
}

function readRegistration(body: Record<string, unknown> | undefined): Registration | undefined {
  if (!body || typeof body.appId !== 'string') return undefined;
  const api = (body.api ?? {}) as Record<string, unknown>;
  const enabledByValue = (entries: unknown): Map<string, boolean> =>
    new Map(
      (Array.isArray(entries) ? entries : [])
        .filter((entry): entry is Record<string, unknown> => typeof entry?.value === 'string')
        .map((entry) => [entry.value as string, entry.isEnabled !== false]),
    );
  const optional = ((body.optionalClaims ?? {}) as Record<string, unknown>).accessToken;
  return {
    appId: body.appId,
    identifierUris: Array.isArray(body.identifierUris)
      ? body.identifierUris.filter((uri) => typeof uri === 'string')
      : [],
    tokenVersion: api.requestedAccessTokenVersion === 2 ? 2 : 1,
    scopes: enabledByValue(api.oauth2PermissionScopes),
    roles: enabledByValue(body.appRoles),
    groupMembershipClaims: typeof body.groupMembershipClaims === 'string' ? body.groupMembershipClaims : undefined,
    accessTokenOptionalClaims: (Array.isArray(optional) ? optional : [])
      .filter((claim): claim is Record<string, unknown> => typeof claim?.name === 'string')
      .map((claim) => ({
        name: claim.name as string,
        additionalProperties: Array.isArray(claim.additionalProperties)
          ? claim.additionalProperties.filter((property): property is string => typeof property === 'string')
          : [],
      })),
  };
}

function compare(
  context: CliContext,
  registration: Registration,
  routes: readonly RouteEntry[] | undefined,
): Finding[] {
  return [
    ...versionAndAudiences(context, registration),
    ...(routes === undefined
      ? [info('routes', 'The @Authorized entries were not compared: give --app <module> that defines the controllers.')]
      : routeEntries(context, registration, routes)),
    ...optionalClaims(registration),
  ];
}

/** `accessTokenAcceptedVersion` decides the `aud` of the API's tokens; `identifierUris` the v1 ones. */
function versionAndAudiences({ settings }: CliContext, registration: Registration): Finding[] {
  const [audienceVariable] = variablesOf('audiences');
  const accepted = settings.audiences;
  // What Graph serves is another party's text: printed escaped.
  const identifierUris = registration.identifierUris.map(printable).join(', ');
  const findings: Finding[] = [];
  const pinnedVersion = settings.issuer === undefined ? undefined : /\/v2\.0\/?$/.test(settings.issuer) ? 2 : 1;
  if (pinnedVersion !== undefined && pinnedVersion !== registration.tokenVersion) {
    findings.push(
      error(
        'token version',
        `The registration issues v${registration.tokenVersion} tokens (accessTokenAcceptedVersion ${registration.tokenVersion === 2 ? '2' : 'null or 1'}), but ENTRA_ISSUER accepts v${pinnedVersion} tokens only: every token is refused.`,
        `Set accessTokenAcceptedVersion to ${pinnedVersion} in the manifest, or unset ENTRA_ISSUER.`,
      ),
    );
  }
  if (registration.tokenVersion === 2) {
    findings.push(
      accepted.includes(registration.appId)
        ? ok(
            'token version',
            `The registration issues v2 tokens (accessTokenAcceptedVersion 2): aud ${registration.appId}, accepted.`,
          )
        : error(
            'token version',
            `The registration issues v2 tokens, whose aud is the application id ${printable(registration.appId)}; ${audienceVariable} does not accept it.`,
            `Add ${printable(registration.appId)} to ${audienceVariable}.`,
          ),
    );
  } else {
    const refused = registration.identifierUris.filter((uri) => !accepted.includes(uri));
    findings.push(
      refused.length === 0
        ? ok(
            'token version',
            `The registration issues v1 tokens (accessTokenAcceptedVersion null or 1): aud is the App ID URI requested (${identifierUris || 'none defined'}), accepted.`,
          )
        : error(
            'token version',
            `The registration issues v1 tokens, whose aud is the App ID URI the client requested; ${audienceVariable} does not accept ${refused.map(printable).join(', ')}.`,
            `Add ${refused.map(printable).join(', ')} to ${audienceVariable}, or set accessTokenAcceptedVersion to 2 in the manifest (aud is then the application id).`,
          ),
    );
  }
  // Entries that name nothing of this registration: `api://<GUID>` stands beside every GUID entry.
  const expanded = new Set(accepted.filter(isGuid).map((guid) => `api://${guid}`));
  const foreign = accepted.filter(
    (entry) =>
      !expanded.has(entry) &&
      !(isGuid(entry) && sameGuid(entry, registration.appId)) &&
      !registration.identifierUris.includes(entry),
  );
  findings.push(
    foreign.length === 0
      ? ok(
          'identifier URIs',
          `Every accepted audience is this registration's (identifierUris: ${identifierUris || 'none'}).`,
        )
      : warning(
          'identifier URIs',
          `${audienceVariable} accepts ${foreign.join(', ')}, which the registration does not define (identifierUris: ${identifierUris || 'none'}): no token for this API carries ${foreign.length > 1 ? 'them' : 'it'}.`,
          `Remove ${foreign.join(', ')} from ${audienceVariable}, or add ${foreign.length > 1 ? 'them' : 'it'} to the registration's Application ID URI.`,
        ),
  );
  return findings;
}

/** Every scope:, role:, group and permission: entry of the routes against what the registration can put in a token. */
function routeEntries(context: CliContext, registration: Registration, routes: readonly RouteEntry[]): Finding[] {
  const findings: Finding[] = [];
  const listed = (values: ReadonlyMap<string, boolean>) =>
    [...values]
      .filter(([, enabled]) => enabled)
      .map(([value]) => printable(value))
      .join(', ') || 'none';
  const defaultPermissions = context.permissionsProvider instanceof ClaimsPermissionsProvider;
  const groupsFromTokens =
    context.groupsProvider instanceof ClaimsGroupsProvider || context.groupsProvider instanceof GraphGroupsProvider;
  for (const { route, requirement } of routes) {
    const { kind, value } = requirement;
    const entry = `${kind}:${value}`;
    const inScopes = registration.scopes.get(value);
    const inRoles = registration.roles.get(value);
    if (kind === 'scope' && inScopes !== true) {
      findings.push(
        error(
          'routes',
          `${route} requires ${entry}, which the registration ${inScopes === false ? 'exposes disabled' : 'does not expose'} (scopes: ${listed(registration.scopes)}): no token can carry it.`,
          `Expose the scope ${value} (Expose an API → Add a scope), or correct the entry.`,
        ),
      );
    } else if (kind === 'role' && inRoles !== true) {
      findings.push(
        error(
          'routes',
          `${route} requires ${entry}, which the registration ${inRoles === false ? 'defines disabled' : 'does not define'} (app roles: ${listed(registration.roles)}): no token can carry it.`,
          `Define the app role ${value} (App roles → Create app role), assign it, or correct the entry.`,
        ),
      );
    } else if (kind === 'permission' && inScopes !== true && inRoles !== true) {
      findings.push(
        defaultPermissions
          ? error(
              'routes',
              `${route} requires ${entry}, neither a scope nor an app role of the registration: the default permissions (roles and scopes) never hold it.`,
              `Define ${value} as an app role or scope, or register a PermissionsProvider that grants it.`,
            )
          : info(
              'routes',
              `${route} requires ${entry}: only your PermissionsProvider can grant it (not a scope or app role of the registration).`,
            ),
      );
    } else if (kind === 'group' && groupsFromTokens && !emitsGroups(registration)) {
      findings.push(
        error(
          'routes',
          `${route} requires ${entry}, but the registration puts no groups in tokens (groupMembershipClaims ${printable(registration.groupMembershipClaims ?? 'null')}): the groups provider never holds it.`,
          'Token configuration → Add groups claim (Security groups, or Groups assigned to the application), i.e. groupMembershipClaims SecurityGroup or ApplicationGroup.',
        ),
      );
    }
  }
  if (
    context.settings.groupNamesInTokens &&
    routes.some(({ requirement }) => requirement.kind === 'group' && !isGuid(requirement.value)) &&
    !groupNamesEmitted(registration)
  ) {
    const [namesVariable] = variablesOf('groupNamesInTokens');
    findings.push(
      error(
        'routes',
        `${namesVariable}=true and routes name groups, but the registration's groups claim carries object ids (no sam_account_name or cloud_displayname): the names never match.`,
        `Add the groups optional claim with sAMAccountName (or cloud display names) to the access token, or use ${variablesOf('groupAliases')[0]} instead.`,
      ),
    );
  }
  if (findings.length === 0) {
    findings.push(
      ok('routes', `${routes.length} @Authorized and guard entries can all be granted by this registration.`),
    );
  }
  return findings;
}

function emitsGroups(registration: Registration): boolean {
  const claims = registration.groupMembershipClaims;
  return (
    (claims !== undefined && !/^\s*none\s*$/i.test(claims)) ||
    registration.accessTokenOptionalClaims.some((claim) => claim.name === 'groups')
  );
}

function groupNamesEmitted(registration: Registration): boolean {
  return registration.accessTokenOptionalClaims.some(
    (claim) =>
      claim.name === 'groups' &&
      claim.additionalProperties.some((property) => GROUP_NAME_PROPERTIES.includes(property)),
  );
}

/** The optional claims the library reads: `idtyp` (app-only tokens) and `xms_cc` (client capabilities). */
function optionalClaims(registration: Registration): Finding[] {
  const names = new Set(registration.accessTokenOptionalClaims.map((claim) => claim.name));
  return [
    names.has('idtyp')
      ? ok('optional claims', 'idtyp is emitted: app-only tokens say so (user.isAppOnly).')
      : info(
          'optional claims',
          'idtyp is not an optional claim of the access token: app-only tokens are recognized by their missing scp only.',
          'Token configuration → Add optional claim → Access → idtyp.',
        ),
    names.has('xms_cc')
      ? ok('optional claims', 'xms_cc is emitted: tokens say which clients can answer claims challenges.')
      : info(
          'optional claims',
          'xms_cc is not an optional claim of the access token: the API cannot tell clients that handle claims challenges (CAE, cp1).',
          'Token configuration → Add optional claim → Access → xms_cc.',
        ),
  ];
}
