import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import {
  Clock,
  ConfigurationError,
  JwksCache,
  RevocationList,
  SharedStore,
  registerEntraAuth,
  type SettingsInput,
  type TelemetryOptions,
} from '../../src';
import { useEntraAuth } from '../../src/routing-controllers';
import { EntraEmulator, ManualClock } from '../../src/testing';

/** A Koa + routing-controllers app on an ephemeral port, wired the way the README tells users to. */
export interface TestApp {
  readonly url: string;
  readonly container: DependencyContainer;
  /** The app's time, and the emulator's: tests move it instead of sleeping. */
  readonly clock: ManualClock;
  /** Its Microsoft: the app's tenant, audience and key URL are the emulator's. */
  readonly emulator: EntraEmulator;
  /** Stops the app, then the emulator unless it was shared from another app. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly controllers: Function[];
  /** Over the emulator's tenant, audience and key URL; a function gets the emulator first. */
  readonly settings?: SettingsInput | ((emulator: EntraEmulator) => SettingsInput);
  /** registerEntraAuth's telemetry options (validation spans). */
  readonly telemetry?: TelemetryOptions;
  /** Registers the app's own services (an HttpClient, a GroupsProvider…) before the app is built. */
  readonly configure?: (container: DependencyContainer) => void;
  /** Koa middleware the app mounts ahead of useEntraAuth (a metadata document…). */
  readonly mount?: (container: DependencyContainer) => Koa.Middleware;
  /** Runs on the emulator and clock of this app (two apps, one Microsoft) instead of starting its own. */
  readonly sharing?: TestApp;
}

/**
 * Starts an app with its own ManualClock and emulator (or another app's), registered with
 * registerEntraAuth and served through useEntraAuth. A start that fails (a ConfigurationError)
 * closes what it started before it rejects.
 */
export async function withApp(options: TestAppOptions): Promise<TestApp> {
  const clock = options.sharing?.clock ?? new ManualClock();
  const emulator = options.sharing?.emulator ?? (await EntraEmulator.start({ clock }));
  const closeEmulator = options.sharing ? async () => {} : () => emulator.close();
  try {
    const { url, container, close } = await startApp(emulator, clock, options);
    return {
      url,
      container,
      clock,
      emulator,
      async close() {
        await close();
        await closeEmulator();
      },
    };
  } catch (error) {
    await closeEmulator();
    throw error;
  }
}

/** The problems of the ConfigurationError an app's start fails with. */
export async function startupProblems(start: () => Promise<TestApp>): Promise<readonly string[]> {
  try {
    const app = await start();
    await app.close();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  expect.fail('expected a ConfigurationError at startup');
}

async function startApp(
  emulator: EntraEmulator,
  clock: ManualClock,
  options: TestAppOptions,
): Promise<Pick<TestApp, 'url' | 'container' | 'close'>> {
  const container = rootContainer.createChildContainer();
  container.register(Clock, { useValue: clock });
  const settings = typeof options.settings === 'function' ? options.settings(emulator) : options.settings;
  registerEntraAuth(container, {
    settings: {
      tenantId: emulator.tenants.primary.id,
      audiences: [emulator.apiClientId],
      jwksUrlTemplate: emulator.jwksUrlTemplate,
      ...settings,
    },
    env: {},
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  options.configure?.(container);
  const app = new Koa();
  // Application errors are expected in some tests; Koa would print their stacks to stderr.
  app.silent = true;
  if (options.mount) app.use(options.mount(container));
  useEntraAuth(app, container, { controllers: options.controllers });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    container,
    async close() {
      container.resolve(JwksCache).close();
      container.resolve(RevocationList).close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await container.resolve(SharedStore).close();
    },
  };
}
