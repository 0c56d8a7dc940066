import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import { Settings } from '../core/settings/settings';
import { UsageError } from './usage-error';

/** The app module given with `--app`, loaded: its controllers are now in routing-controllers' metadata. */
export interface LoadedApp {
  readonly path: string;
  /** Its exported `container`, when `registerEntraAuth` set it up: the app's own settings and services. */
  readonly container: DependencyContainer | undefined;
}

/**
 * Loads the module (CommonJS or ESM, compiled JavaScript) so that its decorators run. Its exported
 * `container` is used only when it holds the library's Settings: a container that
 * `registerEntraAuth` set up, whatever the app registered in it since (an HttpClient with a proxy).
 */
export async function loadAppModule(modulePath: string): Promise<LoadedApp> {
  const absolute = path.resolve(modulePath);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--app ${modulePath}: the module cannot be loaded: ${(error as Error).message}`);
  }
  const fromDefault = (exports.default as Record<string, unknown> | undefined)?.container;
  const exported = exports.container ?? fromDefault;
  return { path: absolute, container: isEntraAuthContainer(exported) ? exported : undefined };
}

function isEntraAuthContainer(value: unknown): value is DependencyContainer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DependencyContainer).isRegistered === 'function' &&
    (value as DependencyContainer).isRegistered(Settings, true)
  );
}
