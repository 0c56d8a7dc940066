// `entra-auth-middleware/testing`: a local Entra ID for users' own tests. Test-only: the keys are
// shared, well-known test keys.
export { EntraEmulator, type EntraEmulatorOptions } from './entra-emulator';
export { GRAPH_APPLICATION_ID, type MintOptions } from './access-token-claims';
export type { EmulatorFault, EndpointKind, FaultOptions, FaultTarget } from './emulator-faults';
export type { PublishedJwk } from './emulator-documents';
export { EXTERNAL_ID_ISSUER_DOMAIN, TENANT_ID_PLACEHOLDER, V1_ISSUER_ORIGIN } from './emulator-documents';
export {
  administratorsGroupId,
  administratorUser,
  apiClientId,
  clientAppId,
  clientAppServicePrincipalId,
  externalTenant,
  guestUser,
  memberUser,
  otherExternalTenant,
  personalAccountGuestUser,
  primaryTenant,
  secondaryTenant,
  type EmulatorExternalTenant,
  type EmulatorTenant,
  type EmulatorUser,
} from './emulator-identities';
export { ManualClock } from './manual-clock';
export { GRAPH_PAGE_SIZE } from './emulator-graph-endpoint';
export { EMULATOR_CLIENT_SECRET } from './emulator-token-endpoint';
export {
  DEFAULT_GRAPH_PERMISSIONS,
  GRAPH_PERMISSIONS_NEEDED,
  apiApplication,
  apiApplicationObjectId,
} from './emulator-application';
export {
  microsoft365GroupIds,
  overageAdministratorUser,
  transitiveGroupsOf,
  type DirectoryGroup,
} from './emulator-directory';
export { getTestKeyPair, warmTestKeys, type TestKeyPair } from './test-keys';
export { encodeJwtSegment, signJwt } from './token-minting';
export { PERSONAS, type Persona, type PersonaName } from './emulator-personas';
