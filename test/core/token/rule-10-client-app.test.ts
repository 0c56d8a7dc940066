import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import type { EntraEmulator } from '../../../src/testing';
import { startupProblems, withApp, type TestApp } from '../../support/app';
import { bearer, get, type HttpResult } from '../../support/http';

@JsonController('/client-apps')
class ClientAppsController {
  @Authorized()
  @Get('/protected')
  protectedRoute() {
    return { ok: true };
  }

  @Get('/open')
  open() {
    return { ok: true };
  }
}

const OTHER_CLIENT = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

describe('Rule 10: client application (ALLOWED_CLIENT_APPS: only tokens issued to listed clients, azp v2 / appid v1)', () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    app = await withApp({
      controllers: [ClientAppsController],
      // Listed in upper case: client ids are GUIDs, compared case-insensitively.
      settings: (emulator) => ({ allowedClientApps: [emulator.clientAppId.toUpperCase(), OTHER_CLIENT] }),
    });
    emulator = app.emulator;
  });
  after(() => app.close());

  const call = (target: TestApp, path: string, token: string): Promise<HttpResult> =>
    get(`${target.url}/client-apps${path}`, bearer(token));

  it('accepts tokens of a listed client, user and app-only, v1 (appid) and v2 (azp)', async () => {
    for (const version of ['1.0', '2.0'] as const) {
      expect((await call(app, '/protected', emulator.mintAccessToken({ version }))).status, version).to.equal(200);
      expect(
        (await call(app, '/protected', emulator.mintAccessToken({ version, appOnly: true }))).status,
        version,
      ).to.equal(200);
      const other = version === '2.0' ? { azp: OTHER_CLIENT } : { appid: OTHER_CLIENT };
      expect((await call(app, '/protected', emulator.mintAccessToken({ version, claims: other }))).status).to.equal(
        200,
      );
    }
  });

  it('refuses a token of any other client with 401 invalid_token client_not_allowed, on open routes too', async () => {
    const unlisted = 'b7c6d5e4-f3a2-4b1c-9d0e-1f2a3b4c5d6e';
    for (const [version, claims] of [
      ['2.0', { azp: unlisted }],
      ['1.0', { appid: unlisted }],
      // A v1 token is judged by appid: an azp beside it names nothing.
      ['1.0', { appid: unlisted, azp: emulator.clientAppId }],
    ] as const) {
      for (const path of ['/protected', '/open']) {
        const refused = await call(app, path, emulator.mintAccessToken({ version, claims }));
        expect([refused.status, refused.json.error, refused.json.reason], `${version} ${path}`).to.deep.equal([
          401,
          'invalid_token',
          'client_not_allowed',
        ]);
        expect(refused.headers['www-authenticate']).to.equal(
          'Bearer realm="api", error="invalid_token", error_description="The access token was issued to a client application this API does not accept."',
        );
      }
    }
  });

  it('comes after rule 9: an ID token of an unlisted client is still not_an_access_token', async () => {
    const idToken = emulator.mintAccessToken({ claims: { azp: undefined, nonce: 'n-0S6_WzA2Mj' } });
    expect((await call(app, '/protected', idToken)).json.reason).to.equal('not_an_access_token');
  });

  it('accepts any client when unset, and refuses a list that is not of GUIDs at startup', async () => {
    const open = await withApp({ controllers: [ClientAppsController], sharing: app });
    try {
      const token = emulator.mintAccessToken({ claims: { azp: OTHER_CLIENT } });
      expect((await call(open, '/protected', token)).status).to.equal(200);
    } finally {
      await open.close();
    }
    const problems = await startupProblems(() =>
      withApp({ controllers: [ClientAppsController], sharing: app, settings: { allowedClientApps: ['my-spa'] } }),
    );
    expect(problems).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_ALLOWED_CLIENT_APPS: expected a comma-separated list of client application GUIDs',
    ]);
  });
});
