import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { Clock, JwksCache, registerEntraAuth, type SettingsInput } from '../../src';
import { useEntraAuth } from '../../src/routing-controllers';
import type { EntraEmulator, ManualClock } from '../../src/testing';

export interface TestApp {
  readonly url: string;
  readonly container: DependencyContainer;
  close(): Promise<void>;
}

/** A Koa + routing-controllers app on an ephemeral port, wired the way the README tells users to. */
export async function startApp(options: {
  emulator: EntraEmulator;
  clock: ManualClock;
  controllers: Function[];
  settings?: SettingsInput;
  configure?: (container: DependencyContainer) => void;
}): Promise<TestApp> {
  const container = rootContainer.createChildContainer();
  container.register(Clock, { useValue: options.clock });
  registerEntraAuth(container, {
    settings: {
      tenantId: options.emulator.tenants.primary.id,
      audiences: [options.emulator.apiClientId],
      jwksUrlTemplate: options.emulator.jwksUrlTemplate,
      ...options.settings,
    },
    env: {},
  });
  options.configure?.(container);
  const app = new Koa();
  // Application errors are expected in some tests; Koa would print their stacks to stderr.
  app.silent = true;
  useEntraAuth(app, container, { controllers: options.controllers });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    container,
    async close() {
      container.resolve(JwksCache).close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
