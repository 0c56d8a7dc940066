import type { AcceptanceRule } from '../core/token/acceptance-rules';
import type { EntraAuthError } from '../core/errors';
import { findGuid, isGuid, sameGuid } from '../core/guid';
import type { Settings, TokenVersion } from '../core/settings/settings';
import { describeVariables, variablesOf } from '../core/settings/settings-table';
import type { Diagnosis } from './authority-diagnosis';
import { describeDuration, isoTime } from './durations';
import { printable, quoted } from './printable';
import type { DecodedToken } from './token-view';

/** Why a token was refused, in plain words, and what to change. Never a personal value. */
export interface Explanation {
  /** One sentence: what the token is, or what is wrong with it. */
  readonly summary: string;
  /** The evidence: claim names and non-personal values. */
  readonly details: readonly string[];
  /** What to change, most likely first. */
  readonly fixes: readonly string[];
}

/** What the explanations may look at besides the refusal: the token as written, the settings, the authority. */
export interface RefusalContext {
  readonly refusal: EntraAuthError;
  readonly rule: AcceptanceRule;
  readonly decoded: DecodedToken;
  readonly settings: Settings;
  readonly nowSeconds: number;
  /** The issuer of the authority's discovery document for a version, when it can be had. */
  metadataIssuer(version: TokenVersion): Promise<string | undefined>;
  /** The kids the authority publishes for a version (held after the verification). */
  publishedKids(version: TokenVersion): readonly string[];
  /** Whether the key set fetched with `?appid=<appId>` (custom signing keys) lists `kid`. */
  listsKidForApp(appId: string, version: TokenVersion, kid: string): Promise<boolean>;
  /** Why the keys of a version cannot be had. */
  diagnoseKeys(version: TokenVersion): Diagnosis;
}

/** Microsoft Graph's `aud` in v2 tokens, and its resource URLs in v1 tokens (clouds included). */
const GRAPH_AUDIENCES = [
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
];

const variable = (key: Parameters<typeof variablesOf>[0]): string => variablesOf(key)[0];

/** The explanation of a refusal, specific to what the token is where that is known. */
export async function explainRefusal(context: RefusalContext): Promise<Explanation> {
  const { refusal, rule, decoded } = context;
  const claims = decoded.claims ?? {};
  if (refusal.reason === 'keys_unavailable') return keysUnavailable(context);
  const laterRules: readonly AcceptanceRule[] = ['signing_key', 'signature', 'issuer', 'audience', 'token_kind'];
  if (laterRules.includes(rule) && isGraphAudience(claims.aud, context.settings)) return graphToken(context);
  if ((rule === 'audience' || rule === 'token_kind') && looksLikeIdToken(claims)) return idToken(context);
  switch (refusal.reason) {
    case 'token_too_large':
      return tooLarge(context);
    case 'token_malformed':
      return malformed(context);
    case 'alg_not_allowed':
      return algorithm(context);
    case 'kid_invalid':
      return kidInvalid(context);
    case 'key_not_found':
      return unknownKid(context);
    case 'signature_invalid':
      return signatureInvalid(context);
    case 'token_expired':
    case 'token_not_yet_valid':
    case 'iat_in_future':
      return timing(context);
    case 'version_invalid':
      return version(context);
    case 'issuer_invalid':
    case 'tenant_invalid':
    case 'tenant_not_allowed':
    case 'key_issuer_mismatch':
      return issuerOrTenant(context);
    case 'audience_invalid':
      return audience(context);
    case 'not_an_access_token':
      return tokenKind(context);
    case 'client_not_allowed':
      return clientApp(context);
    default:
      return { summary: refusal.description, details: [], fixes: [] };
  }
}

function isGraphAudience(aud: unknown, settings: Settings): boolean {
  if (typeof aud !== 'string') return false;
  const normalized = aud.toLowerCase().replace(/\/+$/, '');
  return GRAPH_AUDIENCES.includes(normalized) || normalized === settings.graphUrl.toLowerCase();
}

/** ID tokens carry a `nonce` (when the client sent one) and name no client; access tokens do the opposite. */
function looksLikeIdToken(claims: Readonly<Record<string, unknown>>): boolean {
  const namesClient = isGuid(claims.azp) || isGuid(claims.appid);
  const grants = claims.scp !== undefined || claims.roles !== undefined;
  return Object.hasOwn(claims, 'nonce') || (!namesClient && !grants);
}

function apiScopeExamples(settings: Settings): string {
  const resource = settings.clientId ? `api://${settings.clientId}` : (settings.audiences[0] ?? 'api://<your API>');
  return `${resource}/access_as_user (delegated, or the scope your API exposes) or ${resource}/.default (client credentials)`;
}

function graphToken({ decoded, settings, rule }: RefusalContext): Explanation {
  const nonce = decoded.header && Object.hasOwn(decoded.header, 'nonce');
  return {
    summary: 'This token is for Microsoft Graph, not your API.',
    details: [
      `aud is ${quoted(decoded.claims?.aud)}: Microsoft Graph.`,
      ...(nonce
        ? [
            'The header carries a nonce: Entra signs Graph tokens over a hash of it, so only Graph can verify them; every other validator finds the signature invalid.',
          ]
        : []),
      `The validator stopped at the ${rule.replace('_', ' ')} rule; any rule after it would refuse the token too.`,
    ],
    fixes: [
      `Request a token for scope ${apiScopeExamples(settings)}, not for Graph's scopes (User.Read, .default of https://graph.microsoft.com).`,
      'In MSAL: acquireTokenSilent({ scopes: [<your API scope>] }) and send that access token; keep Graph tokens for calls to Graph.',
    ],
  };
}

function idToken({ decoded, settings }: RefusalContext): Explanation {
  const claims = decoded.claims ?? {};
  const evidence = [
    ...(Object.hasOwn(claims, 'nonce') ? ['a nonce claim'] : []),
    ...(!isGuid(claims.azp) && !isGuid(claims.appid) ? ['no azp or appid (the client an access token names)'] : []),
    ...(claims.scp === undefined && claims.roles === undefined ? ['neither scp nor roles'] : []),
  ];
  return {
    summary: 'This is an ID token, not an access token.',
    details: [
      `It has ${evidence.join(', ')}; its aud ${quoted(claims.aud)} is the application that signed the user in.`,
      'ID tokens tell the client who signed in; they grant nothing to an API.',
    ],
    fixes: [
      `Send the access token: in MSAL, result.accessToken (not result.idToken) of a request for scope ${apiScopeExamples(settings)}.`,
    ],
  };
}

function tooLarge({ decoded, settings }: RefusalContext): Explanation {
  return {
    summary: `The token is ${decoded.bytes} bytes, more than ${variable('maxTokenBytes')}=${settings.maxTokenBytes}.`,
    details: ['Tokens grow with the groups they list (up to 200 in a JWT).'],
    fixes: [
      "Emit only the groups assigned to the application (the registration's token configuration: groupMembershipClaims ApplicationGroup).",
      `Or raise ${variable('maxTokenBytes')} (at most 65536).`,
    ],
  };
}

function malformed({ rule, decoded }: RefusalContext): Explanation {
  switch (rule) {
    case 'request':
      if (decoded.segments === 5) {
        return {
          summary: 'This is an encrypted token (JWE, five segments), not a signed one.',
          details: [],
          fixes: [
            'Entra encrypts tokens only for SAML or for apps that ask for it; send the API a signed JWT access token.',
          ],
        };
      }
      return {
        summary: `The token is not a compact JWS: three base64url segments (it has ${decoded.segments}), each JSON.`,
        details: [],
        fixes: [
          'Pass the token alone, without quotes, line breaks or "Bearer " parts copied twice.',
          'Base64url must be canonical: no padding (=), no spaces.',
        ],
      };
    case 'header':
      return {
        summary: 'The header carries crit or b64, which change how a JWS is verified; Entra never sends them.',
        details: [],
        fixes: ['The token was not issued by Entra ID as such: get it from the authority.'],
      };
    case 'time':
      return {
        summary: 'The time claims are broken: exp is missing, a time is not a number, or nbf is after exp.',
        details: [],
        fixes: ['The token was not issued by Entra ID as such: get it from the authority.'],
      };
    default:
      return {
        summary:
          'A claim the user is built from has the wrong type: oid must be a GUID; name, email, scp, idp and the like strings; roles, groups and acrs lists of strings; acct 0 or 1.',
        details: [],
        fixes: ['The token was not issued by Entra ID as such; a claims-mapping policy may have changed a claim type.'],
      };
  }
}

function algorithm({ decoded, settings, rule }: RefusalContext): Explanation {
  const alg = decoded.header?.alg;
  if (rule === 'signing_key') {
    return {
      summary: `The key ${quoted(decoded.header?.kid)} is published for another algorithm than the token's ${quoted(alg)}.`,
      details: [],
      fixes: [
        'The token was not signed the way the authority signs with that key: get a new token from the authority.',
      ],
    };
  }
  return {
    summary: `alg ${quoted(alg)} is not in ${variable('algorithms')} (${settings.algorithms.join(', ')}).`,
    details: ['Entra signs access tokens with RS256.'],
    fixes: [`Add the algorithm to ${variable('algorithms')} only if your authority really uses it (RSA family only).`],
  };
}

function kidInvalid({ decoded }: RefusalContext): Explanation {
  const hasX5t = decoded.header !== undefined && Object.hasOwn(decoded.header, 'x5t');
  return {
    summary: 'The header names no valid key id (kid: 1 to 256 printable characters).',
    details: hasX5t ? ['It has only x5t: tokens of 2014 and before; every current Entra token has a kid.'] : [],
    fixes: ['Get a current token from the authority.'],
  };
}

async function unknownKid(context: RefusalContext): Promise<Explanation> {
  const { decoded, settings } = context;
  const claims = decoded.claims ?? {};
  const kid = String(decoded.header?.kid);
  const version: TokenVersion = claims.ver === '1.0' ? '1.0' : '2.0';
  const published = context.publishedKids(version);
  const details = [
    `kid ${quoted(kid)} is not among the ${published.length} key${published.length === 1 ? '' : 's'} the authority publishes for tenant ${settings.tenantId} (v${version} key set: ${published.map(printable).join(', ') || 'none'}).`,
  ];
  const fixes: string[] = [];

  const appIds = [...new Set([settings.signingKeysAppId ? undefined : settings.clientId, guidIn(claims.aud)])].filter(
    (id): id is string => id !== undefined,
  );
  for (const appId of appIds) {
    if (await context.listsKidForApp(appId, version, kid)) {
      details.push(`It is published only among the custom signing keys of application ${appId}.`);
      fixes.push(
        `Custom signing keys (a claims-mapping policy on the app): set ${variable('signingKeysAppId')}=${appId} so the keys are fetched with ?appid=${appId}.`,
      );
    }
  }
  const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
  const expected = await context.metadataIssuer(version);
  const otherAuthority = issuer !== undefined && expected !== undefined && originOf(issuer) !== originOf(expected);
  if (otherAuthority) {
    details.push(`iss ${quoted(issuer)} is not an issuer of this API's authority (${printable(expected)}).`);
  }
  const rotated = `Rotated: if the token was issued before a key rollover (iat ${typeof claims.iat === 'number' ? isoTime(claims.iat) : 'unknown'}), get a new one; Entra tokens live at most 24 h.`;
  const cloud = `Wrong cloud or authority: the token's issuer must be served by ${variable('jwksUrlTemplate')} (${settings.authorityOrigin}); national clouds have their own host.`;
  const custom = `Custom signing keys: if the application has a claims-mapping policy, set ${variable('signingKeysAppId')}=<its application id>.`;
  if (otherAuthority) fixes.push(cloud, rotated);
  else fixes.push(rotated, cloud);
  if (!fixes.some((fix) => fix.startsWith('Custom signing keys'))) fixes.push(custom);
  return {
    summary: `The token is signed with a key (kid ${quoted(kid)}) the authority does not publish.`,
    details,
    fixes,
  };
}

function signatureInvalid({ decoded }: RefusalContext): Explanation {
  return {
    summary: `The signature does not verify with the key ${quoted(decoded.header?.kid)} the authority publishes.`,
    details: [],
    fixes: [
      'Use the token exactly as the client received it: an edited claim (jwt.io, a test tool) or a cut while copying breaks the signature.',
      'Otherwise someone other than the authority signed it, reusing a published kid.',
    ],
  };
}

function timing({ refusal, decoded, settings, nowSeconds }: RefusalContext): Explanation {
  const claims = decoded.claims ?? {};
  const skew = settings.leeway;
  const leeway = `${variable('leeway')}=${skew} s`;
  const doctor = "If this machine's clock is off, fix it (NTP); entra-auth doctor compares it with the authority's.";
  if (refusal.reason === 'token_expired') {
    const exp = claims.exp as number;
    return {
      summary: `The token expired ${describeDuration(nowSeconds - exp)} ago.`,
      details: [
        `exp ${isoTime(exp)}; the clock skew in force is ${leeway}, so it was accepted until ${isoTime(exp + skew)}.`,
      ],
      fixes: [
        'Get a new token: clients renew before exp (MSAL acquireTokenSilent does); never cache an access token past exp.',
        doctor,
      ],
    };
  }
  const name = refusal.reason === 'token_not_yet_valid' ? 'nbf' : 'iat';
  const at = claims[name] as number;
  return {
    summary:
      refusal.reason === 'token_not_yet_valid'
        ? `The token is not valid yet: it becomes valid in ${describeDuration(at - nowSeconds)}.`
        : `The token was issued ${describeDuration(at - nowSeconds)} in the future.`,
    details: [`${name} ${isoTime(at)}; the clock skew in force is ${leeway}.`],
    fixes: [
      `This machine's clock is behind, or the issuer's ahead, by more than ${skew} s: fix the clock (NTP); entra-auth doctor compares it with the authority's.`,
    ],
  };
}

function version({ decoded }: RefusalContext): Explanation {
  return {
    summary: `ver is ${quoted(decoded.claims?.ver)}: not an Entra ID v1.0 or v2.0 access token.`,
    details: ['SharePoint ACS tokens and tokens of other identity providers have no such ver.'],
    fixes: ['Send an access token issued by Entra ID for this API.'],
  };
}

async function issuerOrTenant(context: RefusalContext): Promise<Explanation> {
  const { refusal, decoded, settings } = context;
  const claims = decoded.claims ?? {};
  const tenant = claims.tid;
  const issuer = claims.iss;
  const tokenVersion: TokenVersion = claims.ver === '1.0' ? '1.0' : '2.0';
  const expected = await context.metadataIssuer(tokenVersion);
  const tenantVariable = variable('tenantId');
  const allowedVariable = variable('allowedTenants');
  if (!isGuid(tenant)) {
    return {
      summary: 'The token names no tenant (tid missing or not a GUID, or named twice).',
      details: ['Personal Microsoft account tokens and tokens of other identity providers carry no Entra tenant.'],
      fixes: ['Send an access token issued by an Entra ID tenant.'],
    };
  }
  if (refusal.reason === 'tenant_not_allowed') {
    return {
      summary: `The token's tenant ${tenant} is not in ${allowedVariable}.`,
      details: [`Allowed: ${(settings.allowedTenants ?? []).join(', ')}.`],
      fixes: [`If ${tenant} is a customer, add it to ${allowedVariable}.`],
    };
  }
  const configured = isGuid(settings.tenantId) ? settings.tenantId : expected && findGuid(expected);
  if (!settings.isMultiTenant && configured && !sameGuid(configured, tenant)) {
    return {
      summary: `The token is from tenant ${tenant}; this API accepts tenant ${configured} only.`,
      details: [
        `Configured: ${describeVariables('tenantId')} = ${settings.tenantId}; the token's iss is ${quoted(issuer)}.`,
      ],
      fixes: [
        `Sign in to tenant ${configured} (authority ${settings.authorityOrigin}/${settings.authorityTenant}): a user of another tenant needs a guest account there.`,
        `If the API should serve several tenants: ${tenantVariable}=organizations with ${allowedVariable}=<their GUIDs>.`,
      ],
    };
  }
  if (refusal.reason === 'key_issuer_mismatch') {
    return {
      summary: `The key ${quoted(decoded.header?.kid)} signs for another issuer than ${quoted(issuer)}.`,
      details: [
        "The authority's v2 key set binds the key to an issuer; a key of one tenant or cloud must not sign for another.",
      ],
      fixes: ['The token is forged or issued elsewhere: get it from the authority of its tenant.'],
    };
  }
  if (settings.issuer !== undefined && issuer !== settings.issuer) {
    return {
      summary: `ENTRA_ISSUER pins the issuer to ${settings.issuer}; this v${tokenVersion} token's iss is ${quoted(issuer)}.`,
      details: [
        'v1 tokens carry https://sts.windows.net/<tid>/, v2 tokens https://login.microsoftonline.com/<tid>/v2.0; accessTokenAcceptedVersion in the registration decides which one the API gets.',
      ],
      fixes: [
        'Unset ENTRA_ISSUER (both versions are then judged by their own discovery document), or set accessTokenAcceptedVersion to the version it names.',
      ],
    };
  }
  return {
    summary: `iss ${quoted(issuer)} is not the issuer this API's authority gives v${tokenVersion} tokens of tenant ${tenant}.`,
    details: [
      `Expected: ${expected ? printable(expected.replace('{tenantid}', tenant)) : 'the issuer of the discovery document'}.`,
    ],
    fixes: [
      `A token of another cloud or authority: ${variable('jwksUrlTemplate')} must name the authority that issued it (${settings.authorityOrigin} now).`,
    ],
  };
}

function audience({ decoded, settings }: RefusalContext): Explanation {
  const claims = decoded.claims ?? {};
  const aud = claims.aud;
  const accepted = settings.audiences;
  const audienceVariable = variable('audiences');
  const versionHint =
    "accessTokenAcceptedVersion in the API registration's manifest decides the form: 2 gives v2 tokens with aud = the application id; null or 1 gives v1 tokens with aud = the App ID URI the client asked for (api://<id>).";
  const details = [`Accepted audiences: ${accepted.join(', ')}.`];
  if (typeof aud !== 'string') {
    return {
      summary: 'aud is not one string: Entra access tokens name one audience.',
      details,
      fixes: ['Send an access token issued by Entra ID for this API.'],
    };
  }
  const audGuid = guidIn(aud);
  const acceptedForSameApp = audGuid === undefined ? [] : accepted.filter((entry) => guidIn(entry) === audGuid);
  if (acceptedForSameApp.length > 0 && isGuid(aud)) {
    return {
      summary: `aud is the bare application id ${aud} (a v2 token), but this API accepts only ${acceptedForSameApp.join(', ')} for that application.`,
      details: [...details, versionHint],
      fixes: [
        `Set ${audienceVariable}=${aud} (or ENTRA_CLIENT_ID=${aud}): a GUID entry accepts both ${aud} and api://${aud}; keep a custom App ID URI beside it.`,
      ],
    };
  }
  if (
    acceptedForSameApp.length > 0 ||
    (audGuid !== undefined && settings.clientId !== undefined && sameGuid(audGuid, settings.clientId))
  ) {
    return {
      summary: `aud is ${quoted(aud)}, a form of the application id ${audGuid} that this API does not accept.`,
      details: [...details, versionHint],
      fixes: [
        `Set ${audienceVariable}=${audGuid} (it accepts ${audGuid} and api://${audGuid}), or add ${quoted(aud)} to it.`,
        'Or set accessTokenAcceptedVersion to 2 in the manifest, so tokens carry the bare application id.',
      ],
    };
  }
  if (!isGuid(aud) && claims.ver === '1.0') {
    return {
      summary: `aud is ${quoted(aud)}, the App ID URI the client asked for (a v1 token), which this API does not accept.`,
      details: [...details, versionHint],
      fixes: [
        audGuid === undefined
          ? `If ${quoted(aud)} is this API's App ID URI, add it to ${audienceVariable}.`
          : `If ${audGuid} is this API, add ${audGuid} to ${audienceVariable}: a GUID entry accepts both ${audGuid} and api://${audGuid}.`,
        'Or set accessTokenAcceptedVersion to 2 in the manifest, so tokens carry the application id.',
        `If not, the client asked for another API's token: it must request ${apiScopeExamples(settings)}.`,
      ],
    };
  }
  return {
    summary: `The token was issued for ${quoted(aud)}, not for this API.`,
    details,
    fixes: [
      `The client must request a token for this API: ${apiScopeExamples(settings)}.`,
      `If ${quoted(aud)} is this API, add it to ${audienceVariable}.`,
    ],
  };
}

function tokenKind({ decoded, settings }: RefusalContext): Explanation {
  const claims = decoded.claims ?? {};
  const client = claims.ver === '1.0' ? 'appid' : 'azp';
  if (!isGuid(claims[client])) {
    return {
      summary: `The token names no client application (${client}), as every Entra v${claims.ver === '1.0' ? '1' : '2'} access token does.`,
      details: [],
      fixes: ['Send an access token issued by Entra ID for this API.'],
    };
  }
  if (Object.hasOwn(claims, 'nonce')) {
    return {
      summary: 'The token carries a nonce claim, as ID tokens do and access tokens never.',
      details: [],
      fixes: [`Send the access token (result.accessToken in MSAL) of a request for ${apiScopeExamples(settings)}.`],
    };
  }
  const appOnly = claims.idtyp === 'app' || claims.scp === undefined;
  if (appOnly) {
    return {
      summary: `An app-only token (client credentials) of client ${claims[client]} that holds no app role of this API.`,
      details: ['It has no scp (no user) and no roles: the client was granted nothing on this API.'],
      fixes: [
        `Define an app role (allowed member type: Applications) on this API's registration, add it to the client's API permissions (Application permissions of ${settings.clientId ?? 'this API'}) and grant admin consent: its tokens then carry roles.`,
        `Or, if you authorize app-only callers by their client id yourself (user.clientId), set ${variable('allowAclAuthorization')}=true.`,
      ],
    };
  }
  return {
    summary: 'scp is empty and there are no roles: the token grants nothing.',
    details: [],
    fixes: [`The client must request a scope of this API: ${apiScopeExamples(settings)}.`],
  };
}

function keysUnavailable(context: RefusalContext): Explanation {
  const version: TokenVersion = context.decoded.claims?.ver === '1.0' ? '1.0' : '2.0';
  const diagnosis = context.diagnoseKeys(version);
  return { summary: diagnosis.summary, details: [], fixes: [diagnosis.fix] };
}

function guidIn(value: unknown): string | undefined {
  return typeof value === 'string' ? findGuid(value)?.toLowerCase() : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Rule 10: the client application is not in ALLOWED_CLIENT_APPS (docs/design.md#rule-10). */
function clientApp({ decoded }: RefusalContext): Explanation {
  const claims = decoded.claims ?? {};
  const client = claims.ver === '1.0' ? 'appid' : 'azp';
  return {
    summary: `The token was issued to client application ${quoted(claims[client])} (${client}), which ${variable('allowedClientApps')} does not list.`,
    details: [],
    fixes: [
      `Call the API from a listed client, or add this client's application id to ${variable('allowedClientApps')}.`,
    ],
  };
}
