import type { EntraEmulator } from '../../src/testing';

/**
 * Claims a real Entra v2 delegated token carries beyond the emulator's defaults (names, groups,
 * roles, the xms_ family), so that tokens are about 1.7 KB like the ones the issue measured.
 */
const ENTRA_V2_EXTRA_CLAIMS = {
  family_name: 'Member',
  given_name: 'Megan',
  ipaddr: '203.0.113.17',
  acct: 0,
  amr: ['pwd', 'mfa'],
  groups: [
    '5f1a2c7e-9b3d-4e8f-a1c6-2d4b7e9f0a13',
    'c3e8b1d4-6a2f-4c9e-8b7d-1f5a3e2c9d60',
    '9a7d4e2b-1c8f-4b6a-9e3d-7c2f5a8b1e04',
  ],
  roles: ['Reports.Read', 'Tasks.Write'],
  xms_cc: ['CP1'],
  xms_idrel: '1 20',
  xms_tcdt: 1613597654,
};

/** An Entra-v2-shaped access token from the emulator; `serial` makes each one distinct. */
export function mintEntraShapedToken(emulator: EntraEmulator, serial = 0): string {
  return emulator.mintAccessToken({ claims: { ...ENTRA_V2_EXTRA_CLAIMS, uti: `bench-${serial}`.padEnd(22, '0') } });
}

/** What a server or worker process needs to know about the emulator it validates against. */
export interface AuthorityConfig {
  readonly tenantId: string;
  readonly audience: string;
  readonly jwksUrlTemplate: string;
  readonly discoveryUrl: string;
  readonly jwksUri: string;
  readonly issuer: string;
}

export function authorityConfig(emulator: EntraEmulator): AuthorityConfig {
  const tenantId = emulator.tenants.primary.id;
  return {
    tenantId,
    audience: emulator.apiClientId,
    jwksUrlTemplate: emulator.jwksUrlTemplate,
    discoveryUrl: emulator.jwksUrlTemplate.replace('{}', tenantId),
    jwksUri: `${emulator.baseUrl}/${tenantId}/discovery/v2.0/keys`,
    issuer: emulator.issuer('2.0'),
  };
}
