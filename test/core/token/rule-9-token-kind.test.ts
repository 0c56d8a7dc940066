import { expect } from 'chai';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

describe('Rule 9: an access token, not an ID token (the client named, no nonce; scp or roles unless ALLOW_ACL_AUTHORIZATION)', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts a delegated token (scp) and an app-only token (roles)', async () => {
    const { emulator, provider } = harness;
    expect((await provider.verifyToken(emulator.mintAccessToken())).claims.scp).to.equal('access_as_user');
    expect((await provider.verifyToken(emulator.mintAccessToken({ appOnly: true }))).claims.roles).to.deep.equal([
      'Tenant.Read.All',
    ]);
  });

  it('refuses a token with neither, such as an ID token replayed as an access token', async () => {
    const { emulator, provider } = harness;
    await expectRejection(provider.verifyToken(emulator.mintAccessToken({ scopes: [] })), 'not_an_access_token');
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ appOnly: true, roles: [] })),
      'not_an_access_token',
    );
  });

  it('refuses a token that does not name its client: azp in v2, appid in v1', async () => {
    const { emulator, provider } = harness;
    for (const appOnly of [false, true]) {
      await expectRejection(
        provider.verifyToken(emulator.mintAccessToken({ appOnly, claims: { azp: undefined } })),
        'not_an_access_token',
      );
      const v1 = { appOnly, version: '1.0' as const };
      await expectRejection(
        provider.verifyToken(emulator.mintAccessToken({ ...v1, claims: { appid: undefined } })),
        'not_an_access_token',
      );
      // Each version names its client in its own claim: the other version's claim does not count.
      await expectRejection(
        provider.verifyToken(
          emulator.mintAccessToken({ appOnly, claims: { azp: undefined, appid: emulator.clientAppId } }),
        ),
        'not_an_access_token',
      );
    }
  });

  it('refuses a client claim that is not an application id (GUID), and an empty scp or roles as no scp or roles', async () => {
    const { emulator, provider } = harness;
    for (const azp of ['', '  ', 'client', null, [emulator.clientAppId], 42]) {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken({ claims: { azp } })), 'not_an_access_token');
    }
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ version: '1.0', claims: { appid: '' } })),
      'not_an_access_token',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ claims: { scp: '' } })),
      'not_an_access_token',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ claims: { scp: ' ' } })),
      'not_an_access_token',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ appOnly: true, roles: [] })),
      'not_an_access_token',
    );
  });

  it('refuses a token carrying a nonce claim, as ID tokens do, even with roles (an ID token of an app that is both SPA and API)', async () => {
    const { emulator, provider } = harness;
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ claims: { nonce: 'abc' } })),
      'not_an_access_token',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ scopes: [], roles: ['Admin'], claims: { nonce: 'abc' } })),
      'not_an_access_token',
    );
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ version: '1.0', claims: { nonce: '' } })),
      'not_an_access_token',
    );
  });

  it('keeps refusing tokens without their client claim or with a nonce when ALLOW_ACL_AUTHORIZATION is set', async () => {
    const acl = await startHarness({ allowAclAuthorization: true });
    try {
      const { emulator, provider } = acl;
      await expectRejection(
        provider.verifyToken(emulator.mintAccessToken({ appOnly: true, roles: [], claims: { azp: undefined } })),
        'not_an_access_token',
      );
      await expectRejection(
        provider.verifyToken(emulator.mintAccessToken({ appOnly: true, roles: [], claims: { nonce: 'n' } })),
        'not_an_access_token',
      );
    } finally {
      await acl.close();
    }
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
    for (const claims of [
      { scp: ['access_as_user'] },
      { roles: 'Admin' },
      { roles: [1] },
      { groups: 'g' },
      { oid: undefined },
      { oid: 'me' },
      { name: 7 },
    ]) {
      await expectRejection(provider.verifyToken(emulator.mintAccessToken({ claims })), 'token_malformed');
    }
  });
});
