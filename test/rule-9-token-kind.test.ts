import { expect } from 'chai';
import { expectRejection, startHarness, type Harness } from './support/harness';

describe('Rule 9: scp or roles present, unless ALLOW_ACL_AUTHORIZATION', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts a delegated token (scp) and an app-only token (roles)', async () => {
    const { emulator, provider } = harness;
    expect((await provider.verifyToken(emulator.mintAccessToken())).claims.scp).to.equal('access_as_user');
    expect((await provider.verifyToken(emulator.mintAccessToken({ appOnly: true }))).claims.roles).to.deep.equal(['Tenant.Read.All']);
  });

  it('refuses a token with neither, such as an ID token replayed as an access token', async () => {
    const { emulator, provider } = harness;
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ scopes: [] })), 'not_an_access_token');
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ appOnly: true, roles: [] })), 'not_an_access_token');
  });

  it('accepts a token with neither when ALLOW_ACL_AUTHORIZATION is set', async () => {
    const acl = await startHarness({ allowAclAuthorization: true });
    try {
      const verified = await acl.provider.verifyToken(acl.emulator.mintAccessToken({ appOnly: true, roles: [] }));
      expect(acl.provider.createUserFromToken(verified).isAppOnly).to.equal(true);
    } finally {
      await acl.close();
    }
  });

  it('refuses scp, roles or groups of the wrong type, and a missing or non-GUID oid', async () => {
    const { emulator, provider } = harness;
    for (const claims of [{ scp: ['access_as_user'] }, { roles: 'Admin' }, { roles: [1] }, { groups: 'g' }, { oid: undefined }, { oid: 'me' }, { name: 7 }]) {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken({ claims })), 'token_malformed');
    }
  });
});
