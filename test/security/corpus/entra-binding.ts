// Entra binding: issuer, tenant, key issuer, audience and token kind, in single- and multi-tenant apps.
import { signJwt, type EntraEmulator, type MintOptions, type TestKeyPair } from '../../../src/testing';
import { decodeToken } from '../support/token-forge';
import {
  perTokenKind,
  TOKEN_KINDS,
  bearerCase,
  type CorpusContext,
  type HostileCase,
  type Scenario,
} from './hostile-case';

const FOREIGN_TENANT = '6e1f3a52-9d4b-4c1e-8f2a-3b5c7d9e1f20';

function issuerVariants(emulator: EntraEmulator, options: MintOptions): Array<[string, string]> {
  const issuer = emulator.issuer(options.version ?? '2.0');
  const otherVersion = emulator.issuer(options.version === '1.0' ? '2.0' : '1.0');
  return [
    ['iss upper-cased', issuer.toUpperCase()],
    [
      'iss with its tenant upper-cased',
      issuer.replace(emulator.tenants.primary.id, emulator.tenants.primary.id.toUpperCase()),
    ],
    ['iss with a trailing slash added or removed', issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`],
    ['iss with a doubled slash', issuer.replace(/\/(?=[^/]*$)/, '//')],
    ['iss with a Cyrillic homoglyph', issuer.replace('e', '\u0435')],
    ['iss with a fullwidth digit', issuer.replace(/[0-9]/, (digit) => String.fromCharCode(0xff10 + Number(digit)))],
    ['iss with a zero-width space', `${issuer}\u200b`],
    ['iss with a trailing space', `${issuer} `],
    ['iss of the other token version', otherVersion],
    ['iss https://login.microsoftonline.com', `https://login.microsoftonline.com/${emulator.tenants.primary.id}/v2.0`],
    ['iss of the secondary tenant', emulator.issuer(options.version ?? '2.0', emulator.tenants.secondary.id)],
    ['iss the multi-tenant template', emulator.issuer(options.version ?? '2.0', 'organizations')],
  ];
}

function singleTenantCases({ emulator }: CorpusContext): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const { label, options } of TOKEN_KINDS) {
    for (const [name, iss] of issuerVariants(emulator, options)) {
      cases.push(bearerCase(`${name} (${label})`, emulator.mintAccessToken({ ...options, claims: { iss } })));
    }
  }
  const primary = emulator.tenants.primary.id;
  const secondary = emulator.tenants.secondary.id;
  const claimSets: Array<[string, MintOptions]> = [
    ['iss of tenant A with tid B', { claims: { tid: secondary } }],
    ['a token of tenant B', { tenantId: secondary }],
    ['a token of a foreign tenant', { tenantId: FOREIGN_TENANT }],
    ['v1 issuer on a v2 token', { version: '2.0', claims: { iss: emulator.issuer('1.0') } }],
    ['v2 issuer on a v1 token', { version: '1.0', claims: { iss: emulator.issuer('2.0') } }],
    ['ver missing', { claims: { ver: undefined } }],
    ['ver 2 as a number', { claims: { ver: 2 } }],
    ['ver "2"', { claims: { ver: '2' } }],
    ['ver "v2.0"', { claims: { ver: 'v2.0' } }],
    ['ver "2.0 "', { claims: { ver: '2.0 ' } }],
    ['ver "3.0"', { claims: { ver: '3.0' } }],
    ['tid missing', { claims: { tid: undefined } }],
    ['aud an array with our audience', { audience: [emulator.apiClientId] }],
    ['aud an array with ours and another', { audience: [emulator.apiClientId, FOREIGN_TENANT] }],
    ['aud of another app', { audience: FOREIGN_TENANT }],
    ['aud api:// of another app', { audience: `api://${FOREIGN_TENANT}` }],
    ['aud Microsoft Graph', { audience: '00000003-0000-0000-c000-000000000000' }],
    ['aud https://graph.microsoft.com', { audience: 'https://graph.microsoft.com' }],
    ['aud with a trailing slash', { audience: `api://${emulator.apiClientId}/` }],
    ['aud upper-cased', { audience: emulator.apiClientId.toUpperCase() }],
    ['aud a number', { audience: 12345 }],
    ['aud null', { claims: { aud: null } }],
    ['aud empty', { audience: '' }],
    ['aud an object', { audience: { aud: emulator.apiClientId } }],
    ['aud missing', { claims: { aud: undefined } }],
    ["aud the client app (an ID token's audience)", { audience: emulator.clientAppId }],
    ['ID token: no scp, no roles', { scopes: [], roles: [] }],
    ['ID token with a nonce', { scopes: [], roles: [], claims: { nonce: 'n-0S6_WzA2Mj' } }],
    ['ID token of the client app', { scopes: [], roles: [], audience: emulator.clientAppId, claims: { nonce: 'abc' } }],
  ];
  for (const [name, claims] of claimSets) {
    cases.push(
      ...perTokenKind(name, (options) =>
        emulator.mintAccessToken({ ...options, ...claims, claims: { ...options.claims, ...claims.claims } }),
      ),
    );
  }
  for (const tid of [
    'contoso.example',
    'common',
    'organizations',
    '',
    '00000000-0000-0000-0000-00000000000',
    `{${primary}}`,
    `${primary} `,
    `${primary}x`,
    42,
    null,
    [primary],
    { id: primary },
  ]) {
    cases.push(
      ...perTokenKind(`tid ${JSON.stringify(tid)}`, (options) =>
        emulator.mintAccessToken({ ...options, claims: { tid } }),
      ),
    );
  }
  cases.push(
    ...perTokenKind('tid twice in different case', (options) => {
      const { header, payload } = decodeToken(emulator.mintAccessToken(options));
      const text = `${JSON.stringify(payload).slice(0, -1)},"TID":"${secondary}"}`;
      return signJwt(header, Buffer.from(text), emulator.privateKeyFor(emulator.currentKid));
    }),
  );
  cases.push(
    ...perTokenKind('tid twice in the same case', (options) => {
      const { header, payload } = decodeToken(emulator.mintAccessToken(options));
      const text = `${JSON.stringify(payload).slice(0, -1)},"tid":"${primary}"}`;
      return signJwt(header, Buffer.from(text), emulator.privateKeyFor(emulator.currentKid));
    }),
  );
  return cases;
}

function multiTenantCases({ emulator }: CorpusContext): HostileCase[] {
  const primary = emulator.tenants.primary.id;
  const secondary = emulator.tenants.secondary.id;
  const cases: HostileCase[] = [];
  const claimSets: Array<[string, MintOptions]> = [
    ['iss of tenant A with tid B', { claims: { tid: secondary } }],
    ['a tenant outside the allow-list', { tenantId: secondary }],
    ['a foreign tenant outside the allow-list', { tenantId: FOREIGN_TENANT }],
    ['iss the unfilled template', { claims: { iss: emulator.issuer('2.0', 'organizations') } }],
    [
      'tid of the allow-list upper-cased in iss only',
      { claims: { iss: emulator.issuer('2.0', primary.toUpperCase()) } },
    ],
  ];
  for (const [name, options] of claimSets) {
    cases.push(
      ...perTokenKind(name, (kind) =>
        emulator.mintAccessToken({ ...kind, ...options, claims: { ...kind.claims, ...options.claims } }),
      ),
    );
  }
  cases.push(
    ...perTokenKind('iss of tenant B with tid A', (kind) =>
      emulator.mintAccessToken({ ...kind, claims: { iss: emulator.issuer(kind.version ?? '2.0', secondary) } }),
    ),
  );
  return cases;
}

/** A key that the key set binds to the secondary tenant, signing tokens of the primary one. */
function keyIssuerScenario(spare: TestKeyPair): Scenario {
  return {
    name: 'Entra binding: a key whose issuer names another tenant',
    prepare(emulator) {
      const jwk = spare.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      emulator.publishRawKey({
        ...jwk,
        kid: 'other-tenant-key',
        use: 'sig',
        issuer: emulator.issuer('2.0', emulator.tenants.secondary.id),
      });
    },
    cases: ({ emulator }) =>
      perTokenKind("key with another tenant's issuer", (options) =>
        emulator.mintAccessToken({ ...options, kid: 'other-tenant-key', signingKey: spare.privateKey }),
      ),
  };
}

export function entraBindingScenarios(spare: TestKeyPair): Scenario[] {
  return [
    { name: 'Entra binding: single tenant', cases: singleTenantCases },
    {
      name: 'Entra binding: multi-tenant with an allow-list',
      settings: { tenantId: 'organizations', allowedTenants: ['03871dfd-7277-41de-895d-62c1a1a953ea'] },
      cases: multiTenantCases,
    },
    keyIssuerScenario(spare),
  ];
}
