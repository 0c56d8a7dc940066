import { AppTokenSource } from '../core/graph/app-token-source';
import type { HttpClient } from '../core/http-client';
import { variablesOf } from '../core/settings/settings-table';
import type { CliContext } from './cli-context';
import { error, info, ok, type Finding } from './finding';
import type { HttpExchange, RecordingHttpClient } from './recording-http-client';

/** The Graph application permission group lookups need (the least that suffices). */
export const GROUPS_PERMISSION = 'GroupMember.Read.All';

export interface GraphChecks {
  readonly findings: readonly Finding[];
  /** App tokens obtained, per tenant, for reading the registration; never printed. */
  readonly appTokens: ReadonlyMap<string, string>;
}

/**
 * With Graph credentials: an app token from the token endpoint of each tenant the API serves
 * (Entra's AADSTS code named when refused), then one Graph call that needs what group lookups
 * need, so a missing permission or admin consent is named before an overage user meets it.
 */
export async function checkGraph(context: CliContext, http: RecordingHttpClient): Promise<GraphChecks> {
  const { settings, clock } = context;
  const [secretVariable, certificateVariable] = variablesOf('clientCredential');
  const credential = settings.clientCredential;
  const appTokens = new Map<string, string>();
  if (!credential) {
    return {
      findings: [
        info(
          'graph',
          `No Graph credentials (${secretVariable} or ${certificateVariable}): users in more than 200 groups (overage) cannot be resolved, and the app registration is not compared.`,
        ),
      ],
      appTokens,
    };
  }
  if (typeof http.post !== 'function') {
    return {
      findings: [
        error(
          'graph',
          'The HttpClient has no post(): app tokens cannot be requested.',
          'Register an HttpClient with post().',
        ),
      ],
      appTokens,
    };
  }
  const tenants = settings.isMultiTenant ? (settings.allowedTenants ?? []) : [settings.authorityTenant];
  if (tenants.length === 0) {
    return {
      findings: [
        info(
          'graph',
          'Any tenant is accepted (ENTRA_VALIDATE_TENANT=false): no tenant to check; each customer tenant needs admin consent for Graph lookups.',
        ),
      ],
      appTokens,
    };
  }
  const source = new AppTokenSource(settings, http as Required<HttpClient>, clock);
  const findings: Finding[] = [];
  for (const tenant of tenants) {
    let token: string;
    try {
      token = await source.tokenFor(tenant);
    } catch {
      findings.push(tokenRefused(context, tenant, http.last(source.tokenEndpoint(tenant))));
      continue;
    }
    appTokens.set(tenant, token);
    findings.push(
      ok(
        'graph token',
        `App token for Graph obtained in tenant ${tenant} (client ${settings.clientId}, ${credential.kind}).`,
      ),
      await groupsReadable(context, http, tenant, token),
    );
  }
  return { findings, appTokens };
}

/** The token endpoint's refusal, by its AADSTS code. */
function tokenRefused({ settings }: CliContext, tenant: string, exchange: HttpExchange | undefined): Finding {
  const [secretVariable, certificateVariable] = variablesOf('clientCredential');
  const [audienceVariable] = variablesOf('audiences');
  const check = 'graph token';
  const clientId = settings.clientId;
  switch (exchange?.aadsts) {
    case 'AADSTS7000215':
    case 'AADSTS7000222':
      return error(
        check,
        `The token endpoint refused the client secret of application ${clientId} (${exchange.aadsts}: wrong or expired).`,
        `Create a new client secret (app registration → Certificates & secrets) and set ${secretVariable} to its value.`,
      );
    case 'AADSTS700027':
    case 'AADSTS700024':
      return error(
        check,
        `The token endpoint refused the certificate's client assertion (${exchange.aadsts}).`,
        `Upload the certificate of ${certificateVariable} (its public part) to the app registration (Certificates & secrets).`,
      );
    case 'AADSTS700016':
      return error(
        check,
        `Application ${clientId} is not found in tenant ${tenant} (AADSTS700016).`,
        `${audienceVariable} (or ENTRA_CLIENT_ID) must hold the API's application id; a multi-tenant API needs admin consent in ${tenant} before it exists there.`,
      );
    case 'AADSTS65001':
      return error(
        check,
        `Application ${clientId} has no admin consent in tenant ${tenant} (AADSTS65001).`,
        `An administrator of ${tenant} grants consent: app registration → API permissions → Microsoft Graph ${GROUPS_PERMISSION} (Application) → Grant admin consent.`,
      );
    case 'AADSTS90002':
      return error(check, `Tenant ${tenant} not found (AADSTS90002).`, 'Check the tenant id.');
    default:
      return error(
        check,
        exchange?.status === undefined
          ? `The token endpoint cannot be reached (${exchange?.failure ?? 'network_error'}).`
          : `The token endpoint answered ${exchange.status}${exchange.aadsts ? ` (${exchange.aadsts})` : ''}.`,
        "Look the AADSTS code up in Microsoft's error reference; check the network path to the authority.",
      );
  }
}

/** `GET /v1.0/groups?$top=1`: allowed with what the memberships lookup needs. */
async function groupsReadable(
  { settings }: CliContext,
  http: RecordingHttpClient,
  tenant: string,
  token: string,
): Promise<Finding> {
  const check = 'graph';
  const [graphVariable] = variablesOf('graphUrl');
  let status: number;
  try {
    status = (
      await http.get(`${settings.graphUrl}/v1.0/groups?$top=1&$select=id`, {
        timeoutMs: settings.httpTimeoutMs,
        maxBytes: settings.httpMaxBytes,
        headers: { authorization: `Bearer ${token}` },
      })
    ).status;
  } catch {
    return error(
      check,
      `Graph (${settings.graphUrl}) cannot be reached (${http.last(settings.graphUrl)?.failure ?? 'network_error'}).`,
      `Check ${graphVariable} and the network path to it.`,
    );
  }
  if (status === 200) return ok(check, `Graph answers and lets the API read groups in tenant ${tenant}.`);
  if (status === 403) {
    const code = http.last(settings.graphUrl)?.graphError;
    return error(
      check,
      `Graph refuses to read groups in tenant ${tenant} (403${code ? ` ${code}` : ''}): the API lacks the application permission ${GROUPS_PERMISSION}, or its admin consent.`,
      `App registration → API permissions → Add a permission → Microsoft Graph → Application permissions → ${GROUPS_PERMISSION}, then Grant admin consent for ${tenant}.`,
    );
  }
  if (status === 401) {
    return error(
      check,
      `Graph refused the app token (401).`,
      `${graphVariable} must be the Graph of the authority's cloud (${settings.graphUrl} now).`,
    );
  }
  return error(
    check,
    `Graph answered ${status}.`,
    'Graph is failing or throttling; overage users get 503 until it answers.',
  );
}
