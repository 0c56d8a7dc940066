import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import { Settings } from '../core/settings/settings';
import { errorKind } from './error-kind';
import { UsageError } from './usage-error';

/** The app module given with `--app`, loaded: its controllers are now in routing-controllers' metadata. */
export interface LoadedApp {
  readonly path: string;
  /** Its exported `container`, when `registerEntraAuth` set it up: the app's own settings and services. */
  readonly container: DependencyContainer | undefined;
}

/** What Node runs as JavaScript whatever the file holds; anything else (a .env file) is refused unread. */
const JAVASCRIPT = /\.(js|cjs|mjs)$/i;

/**
 * Loads the module (CommonJS or ESM, compiled JavaScript) so that its decorators run. Its exported
 * `container` is used only when it holds the library's Settings: a container that
 * `registerEntraAuth` set up, whatever the app registered in it since (an HttpClient with a proxy).
 * A failure is named by its code or class only: its message may quote the file
 * (`hunter2 is not defined` from a line `SECRET=hunter2`).
 */
export async function loadAppModule(modulePath: string): Promise<LoadedApp> {
  if (!JAVASCRIPT.test(modulePath)) throw UsageError.appNotJavaScript();
  const absolute = path.resolve(modulePath);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw UsageError.appNotLoadable(errorKind(error));
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
