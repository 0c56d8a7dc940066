// The fixed directory the emulator pretends to host. Constants rather than random values so that
// test failures are reproducible and ids can be written into fixtures and docs.

export interface EmulatorTenant {
  /** The tenant GUID (`tid`), lowercase as Entra emits it. */
  readonly id: string;
  /** A verified domain, accepted wherever Entra accepts a tenant domain. */
  readonly domain: string;
}

export interface EmulatorUser {
  /** The object id (`oid`) in the home tenant. */
  readonly oid: string;
  readonly name: string;
  readonly preferredUsername: string;
  readonly email: string;
  readonly upn: string;
  /** Group object ids, as the `groups` claim carries them. */
  readonly groups: readonly string[];
}

export const primaryTenant: EmulatorTenant = Object.freeze({
  id: '03871dfd-7277-41de-895d-62c1a1a953ea',
  domain: 'contoso.example',
});

export const secondaryTenant: EmulatorTenant = Object.freeze({
  id: '15ccafab-061e-48ab-bc3b-8c182f86d814',
  domain: 'fabrikam.example',
});

/** The application (client) id of the protected API: the default audience. */
export const apiClientId = '1eda41f4-3759-4ef1-b592-691c21616be8';

/** The client application that requests tokens for the API (`azp` / `appid`). */
export const clientAppId = 'cbd24263-6f32-458f-8b88-818cd60c6fb4';

/** The client application's service principal: the `oid` and `sub` of its app-only tokens. */
export const clientAppServicePrincipalId = '46f70668-0bd4-4ed4-be8e-a40ea8a489ef';

export const administratorsGroupId = '02b919c6-38a0-4002-8615-b80dc502181f';

export const memberUser: EmulatorUser = Object.freeze({
  oid: 'c451c118-4da4-47c3-9883-15bbef205e4b',
  name: 'Megan Member',
  preferredUsername: 'megan@contoso.example',
  email: 'megan@contoso.example',
  upn: 'megan@contoso.example',
  groups: Object.freeze([]),
});

export const administratorUser: EmulatorUser = Object.freeze({
  oid: '555804f9-2fa0-46b9-972c-a6d18730fc59',
  name: 'Adele Admin',
  preferredUsername: 'adele@contoso.example',
  email: 'adele@contoso.example',
  upn: 'adele@contoso.example',
  groups: Object.freeze([administratorsGroupId]),
});
