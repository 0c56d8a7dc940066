// The API's app registration as Microsoft Graph's application resource shows it
// (`GET /v1.0/applications(appId='{id}')`), and the Graph permissions granted to it: what a tool
// that compares a registration with an API's configuration and routes reads.
import { apiClientId } from './emulator-identities';

/** The object id of the API's application object (not its appId) in the primary tenant, its home. */
export const apiApplicationObjectId = '6d2f3b0c-8a1e-4f57-9c3d-2b7e5a9f1c04';

/**
 * Microsoft Graph application permissions, as app roles of Graph granted to the API with admin
 * consent: each Graph resource the emulator serves needs one of its list.
 */
export const GRAPH_PERMISSIONS_NEEDED = Object.freeze({
  groups: Object.freeze(['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']),
  application: Object.freeze(['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All']),
});

/** What the API holds in every tenant at start: group lookups and reading its own registration. */
export const DEFAULT_GRAPH_PERMISSIONS: readonly string[] = Object.freeze([
  'GroupMember.Read.All',
  'Application.Read.All',
]);

/**
 * The registration the emulator's tokens match: v2 access tokens (`aud` the application id), the
 * App ID URI `api://<appId>`, the delegated scope `access_as_user` and the app role
 * `Tenant.Read.All` that minted tokens carry by default, security groups in tokens, and the
 * optional claim `idtyp` (app-only tokens say so).
 */
export function apiApplication(): Record<string, unknown> {
  return {
    id: apiApplicationObjectId,
    appId: apiClientId,
    displayName: 'Contoso API (emulator)',
    signInAudience: 'AzureADMyOrg',
    identifierUris: [`api://${apiClientId}`],
    groupMembershipClaims: 'SecurityGroup',
    api: {
      requestedAccessTokenVersion: 2,
      oauth2PermissionScopes: [
        {
          id: '3c7a9e51-0b6d-4f2e-8a14-9d5c7b3e2f60',
          value: 'access_as_user',
          type: 'User',
          isEnabled: true,
          adminConsentDisplayName: 'Access the API as the signed-in user',
        },
      ],
    },
    appRoles: [
      {
        id: 'a1f5c3e7-2d4b-4c6a-9e8f-0b1d3f5a7c92',
        value: 'Tenant.Read.All',
        allowedMemberTypes: ['Application'],
        isEnabled: true,
        displayName: 'Read tenant information',
      },
    ],
    optionalClaims: {
      accessToken: [{ name: 'idtyp', source: null, essential: false, additionalProperties: [] }],
      idToken: [],
      saml2Token: [],
    },
  };
}
