import { V1_ISSUER_ORIGIN } from './emulator-documents';

// The fixed directory the emulator pretends to host. Constants rather than random values so that
// test failures are reproducible and ids can be written into fixtures and docs.

export interface EmulatorTenant {
  /** The tenant GUID (`tid`), lowercase as Entra emits it. */
  readonly id: string;
  /** A verified domain, accepted wherever Entra accepts a tenant domain. */
  readonly domain: string;
}

/** An Entra External ID (customer, CIAM) tenant: its own authority host, named by its subdomain. */
export interface EmulatorExternalTenant extends EmulatorTenant {
  /** `<subdomain>` of `<subdomain>.ciamlogin.com`; its domain is `<subdomain>.onmicrosoft.com`. */
  readonly subdomain: string;
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
  /**
   * A guest's identity provider, which its tokens name in `idp`: the v1 issuer of its home tenant
   * (a B2B guest) or `live.com` (a personal Microsoft account). Members have none.
   */
  readonly idp?: string;
}

export const primaryTenant: EmulatorTenant = Object.freeze({
  id: '03871dfd-7277-41de-895d-62c1a1a953ea',
  domain: 'contoso.example',
});

export const secondaryTenant: EmulatorTenant = Object.freeze({
  id: '15ccafab-061e-48ab-bc3b-8c182f86d814',
  domain: 'fabrikam.example',
});

/** An External ID tenant, by its subdomain contosoid (contosoid.ciamlogin.com). */
export const externalTenant: EmulatorExternalTenant = Object.freeze({
  id: '6b0e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b',
  domain: 'contosoid.onmicrosoft.com',
  subdomain: 'contosoid',
});

/** Another External ID tenant: its tokens must never pass for the first one's. */
export const otherExternalTenant: EmulatorExternalTenant = Object.freeze({
  id: '9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a',
  domain: 'fabrikamid.onmicrosoft.com',
  subdomain: 'fabrikamid',
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

/** A B2B guest of the primary tenant, whose home tenant is the secondary one. */
export const guestUser: EmulatorUser = Object.freeze({
  oid: 'e2a4c6e8-1b3d-4f5a-8c7e-9d0f1a2b3c4d',
  name: 'Gus Guest',
  preferredUsername: 'gus@fabrikam.example',
  email: 'gus@fabrikam.example',
  upn: 'gus_fabrikam.example#EXT#@contoso.example',
  groups: Object.freeze([]),
  // The v1 issuer of the home tenant, as Entra writes `idp` in both token versions.
  idp: `${V1_ISSUER_ORIGIN}/${secondaryTenant.id}/`,
});

/** A guest signing in with a personal Microsoft account. */
export const personalAccountGuestUser: EmulatorUser = Object.freeze({
  oid: 'f3b5d7f9-2c4e-4a6b-9d8f-0e1a2b3c4d5e',
  name: 'Pat Personal',
  preferredUsername: 'pat@outlook.example',
  email: 'pat@outlook.example',
  upn: 'pat_outlook.example#EXT#@contoso.example',
  groups: Object.freeze([]),
  idp: 'live.com',
});
