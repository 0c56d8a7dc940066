import { expect } from 'chai';
import { loadSettings } from '../../../src';
import { createProvider, expectRejection, startHarness, type Harness } from '../../support/harness';

describe('Rule 8: aud is a string equal to one configured audience (a GUID also accepts api://<GUID>)', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('accepts the application id and its api:// form', async () => {
    const { emulator, provider } = harness;
    expect(
      (await provider.verifyToken(emulator.mintAccessToken({ audience: emulator.apiClientId }))).claims.aud,
    ).to.equal(emulator.apiClientId);
    await provider.verifyToken(emulator.mintAccessToken({ audience: `api://${emulator.apiClientId}` }));
    await provider.verifyToken(emulator.mintAccessToken({ version: '1.0' }));
  });

  it('with ENTRA_CLIENT_ID=api://<client id> (the App ID URI pasted as the client id), accepts v2 and v1 tokens alike', async () => {
    const { emulator, clock } = harness;
    const { audiences } = loadSettings(
      {},
      { ENTRA_TENANT_ID: 'x.example', ENTRA_CLIENT_ID: `api://${emulator.apiClientId}` },
    );
    const { provider, cache } = createProvider(emulator, clock, { audiences: [...audiences] });
    try {
      expect((await provider.verifyToken(emulator.mintAccessToken())).claims.aud).to.equal(emulator.apiClientId);
      expect((await provider.verifyToken(emulator.mintAccessToken({ version: '1.0' }))).claims.aud).to.equal(
        `api://${emulator.apiClientId}`,
      );
    } finally {
      cache.close();
    }
  });

  it('refuses another audience, an array (even holding ours), a number or none', async () => {
    const { emulator, provider } = harness;
    for (const audience of [
      '00000003-0000-0000-c000-000000000000',
      emulator.apiClientId.toUpperCase(),
      `api://${emulator.apiClientId}/`,
      [emulator.apiClientId],
      [emulator.apiClientId, 'other'],
      42,
      null,
    ]) {
      await expectRejection(
        provider.verifyToken(emulator.mintAccessToken({ claims: { aud: audience } })),
        'audience_invalid',
      );
    }
    await expectRejection(
      provider.verifyToken(emulator.mintAccessToken({ claims: { aud: undefined } })),
      'audience_invalid',
    );
  });

  it('accepts only the configured audiences, not the api:// form of a non-GUID entry', async () => {
    const custom = await startHarness({ audiences: ['https://api.contoso.example'] });
    try {
      await custom.provider.verifyToken(custom.emulator.mintAccessToken({ audience: 'https://api.contoso.example' }));
      await expectRejection(custom.provider.verifyToken(custom.emulator.mintAccessToken()), 'audience_invalid');
      await expectRejection(
        custom.provider.verifyToken(custom.emulator.mintAccessToken({ audience: 'api://https://api.contoso.example' })),
        'audience_invalid',
      );
    } finally {
      await custom.close();
    }
  });
});
