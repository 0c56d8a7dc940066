import { expect } from 'chai';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { container, type DependencyContainer } from 'tsyringe';
import { Clock, JwksCache, registerEntraAuth } from 'entra-auth-middleware';
import { EntraEmulator, ManualClock } from 'entra-auth-middleware/testing';
import { createApp } from '../src/app';

describe('the API, with tokens of a local Entra ID emulator', () => {
  // One clock for the emulator's tokens and the app; tests move it instead of waiting.
  const clock = new ManualClock();
  let emulator: EntraEmulator;
  let appContainer: DependencyContainer;
  let server: Server;
  let baseUrl: string;

  before(async () => {
    emulator = await EntraEmulator.start({ clock });
    appContainer = container.createChildContainer();
    // Without this line the app uses the system clock: ManualClock starts on 2026-01-01.
    appContainer.register(Clock, { useValue: clock });
    registerEntraAuth(appContainer, {
      settings: {
        tenantId: emulator.tenants.primary.id,
        clientId: emulator.apiClientId,
        jwksUrlTemplate: emulator.jwksUrlTemplate,
        groupAliases: { Administrators: emulator.groups.administrators },
      },
      env: {}, // these settings only, whatever the environment holds
    });
    server = createApp(appContainer).listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    appContainer.resolve(JwksCache).close();
    server.closeAllConnections();
    server.close();
    await emulator.close();
  });

  const call = (path: string, token?: string) =>
    fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('GET /me: 401 without a token, the caller with one', async () => {
    expect((await call('/me')).status).to.equal(401);
    const response = await call('/me', emulator.mintAccessToken({ user: emulator.users.member }));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.include({ id: emulator.users.member.oid, tenantId: emulator.tenants.primary.id });
  });

  it('GET /admin/users: 403 for a member, 200 for a member of Administrators', async () => {
    expect((await call('/admin/users', emulator.mintAccessToken({ user: emulator.users.member }))).status).to.equal(
      403,
    );
    const administrator = emulator.mintAccessToken({ user: emulator.users.administrator });
    expect((await call('/admin/users', administrator)).status).to.equal(200);
  });

  it('GET /reports: granted by the custom permissions provider, from the app role Reports.Reader', async () => {
    expect((await call('/reports', emulator.mintAccessToken())).status).to.equal(403);
    const response = await call('/reports', emulator.mintAccessToken({ roles: ['Reports.Reader'] }));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.have.length(2);
  });

  it('an expired token: 401 token_expired', async () => {
    const token = emulator.mintAccessToken();
    clock.advance(2 * 60 * 60 * 1000);
    const response = await call('/me', token);
    expect(response.status).to.equal(401);
    expect(await response.json()).to.include({ reason: 'token_expired' });
  });
});
