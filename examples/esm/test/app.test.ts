import { expect } from 'chai';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { container, type DependencyContainer } from 'tsyringe';
import { Clock, JwksCache, registerEntraAuth } from 'entra-auth-middleware';
import { EntraEmulator, ManualClock } from 'entra-auth-middleware/testing';
import { createApp } from '../src/app.js';
import { Directory } from '../src/directory.js';

const clock = new ManualClock();
const emulator = await EntraEmulator.start({ clock }); // top-level await: this test is an ES module
const directory = new Directory();
directory.addMember(emulator.tenants.primary.id, emulator.users.administrator.oid, ['Order Managers']);

const appContainer: DependencyContainer = container.createChildContainer();
appContainer.register(Clock, { useValue: clock });
appContainer.register(Directory, { useValue: directory });
registerEntraAuth(appContainer, {
  settings: {
    tenantId: emulator.tenants.primary.id,
    clientId: emulator.apiClientId,
    jwksUrlTemplate: emulator.jwksUrlTemplate,
    groupNamesInTokens: true,
  },
  env: {},
});
const server: Server = createApp(appContainer).listen(0, '127.0.0.1');
await once(server, 'listening');
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const call = (path: string, token: string) =>
  fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('the orders API (ES module), with tokens of a local Entra ID emulator', () => {
  after(async () => {
    appContainer.resolve(JwksCache).close();
    server.closeAllConnections();
    server.close();
    await emulator.close();
  });

  it('GET /orders/mine: needs the scope Orders.Read', async () => {
    expect((await call('/orders/mine', emulator.mintAccessToken())).status).to.equal(403);
    const response = await call('/orders/mine', emulator.mintAccessToken({ scopes: ['Orders.Read'] }));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ owner: emulator.users.member.oid, orders: [] });
  });

  it('GET /orders/all: for Order Managers, as the custom groups provider says', async () => {
    expect((await call('/orders/all', emulator.mintAccessToken({ user: emulator.users.member }))).status).to.equal(403);
    const response = await call('/orders/all', emulator.mintAccessToken({ user: emulator.users.administrator }));
    expect(response.status).to.equal(200);
    expect(await response.json())
      .to.include.keys('requestedBy')
      .and.deep.include({ groups: ['Order Managers'] });
  });
});
