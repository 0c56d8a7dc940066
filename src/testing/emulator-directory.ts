// The emulator's directory as Microsoft Graph shows it: which groups each user is a member of,
// transitively. The overage user is in more groups than fit in a token (Entra's limit is 200 for
// JWTs), so its tokens carry `_claim_names` / `_claim_sources` instead of `groups`.
import { createHash } from 'node:crypto';
import { administratorsGroupId, administratorUser, memberUser, type EmulatorUser } from './emulator-identities';

/** Entra leaves `groups` out of a JWT when the user is in more groups than this. */
export const GROUPS_CLAIM_LIMIT = 200;

export interface DirectoryGroup {
  readonly id: string;
  /** false for Microsoft 365 groups that are not security groups. */
  readonly securityEnabled: boolean;
}

/** A stable GUID per label, so fixtures and failures are reproducible. */
function stableGuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** 249 security groups of the overage user besides Administrators. */
const overageSecurityGroupIds = Object.freeze(
  Array.from({ length: 249 }, (_, index) => stableGuid(`emulator-security-group-${index}`)),
);

/** Microsoft 365 groups the overage user is also in: Graph lists them, the library leaves them out. */
export const microsoft365GroupIds = Object.freeze([
  stableGuid('emulator-m365-group-0'),
  stableGuid('emulator-m365-group-1'),
]);

/** Adele's colleague in 250 security groups, Administrators among them. */
export const overageAdministratorUser: EmulatorUser = Object.freeze({
  oid: 'a7c3e1d2-5b4f-4c6e-9d8a-3f2b1e0c9d87',
  name: 'Olga Overage',
  preferredUsername: 'olga@contoso.example',
  email: 'olga@contoso.example',
  upn: 'olga@contoso.example',
  groups: Object.freeze([administratorsGroupId, ...overageSecurityGroupIds]),
});

const directory = new Map<string, readonly DirectoryGroup[]>(
  [memberUser, administratorUser, overageAdministratorUser].map((user) => [
    user.oid,
    Object.freeze([
      ...user.groups.map((id) => ({ id, securityEnabled: true })),
      ...(user === overageAdministratorUser ? microsoft365GroupIds.map((id) => ({ id, securityEnabled: false })) : []),
    ]),
  ]),
);

/** The user's transitive group memberships, or undefined for a user the directory does not hold. */
export function transitiveGroupsOf(oid: string): readonly DirectoryGroup[] | undefined {
  return directory.get(oid.toLowerCase());
}

/** What Entra puts in a token instead of `groups` on overage (the source points at retired Azure AD Graph). */
export function overageClaims(tenantId: string, oid: string): Record<string, unknown> {
  return {
    _claim_names: { groups: 'src1' },
    _claim_sources: { src1: { endpoint: `https://graph.windows.net/${tenantId}/users/${oid}/getMemberObjects` } },
  };
}

/** Every group of the directory, once each, in a stable order. */
export function directoryGroups(): readonly DirectoryGroup[] {
  const byId = new Map<string, DirectoryGroup>();
  for (const groups of directory.values()) for (const group of groups) byId.set(group.id, group);
  return [...byId.values()];
}
