import { container } from 'tsyringe';
import { registerEntraAuth } from 'entra-auth-middleware';
// #region revoking-sessions
import { RevocationList } from 'entra-auth-middleware';
// #endregion

const appContainer = registerEntraAuth(container.createChildContainer());

/** What an administrative flow passes: the user's tenant and object ids, or one token's `uti`. */
export async function revoke(tenantId: string, userObjectId: string, uti: string): Promise<void> {
  // #region revoking-sessions
  const revocations = appContainer.resolve(RevocationList);
  await revocations.revokeUser(tenantId, userObjectId); // the user's tokens issued until now: refused on every instance
  await revocations.revokeToken(uti); // one token, by its `uti` claim
  // #endregion revoking-sessions
}
