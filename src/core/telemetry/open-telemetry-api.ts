import type * as OpenTelemetryApiModule from '@opentelemetry/api';
import type { Logger } from './logger';

export type OpenTelemetryApi = typeof OpenTelemetryApiModule;

/** The instrumentation scope every meter and tracer of the library is named after. */
export const SCOPE_NAME = 'entra-auth-middleware';

/**
 * `@opentelemetry/api` when the application installed it (an optional peer dependency), else
 * undefined. Read while the container is composed, never on a request's path: a missing or broken
 * installation turns telemetry off, and only a broken one is reported.
 */
export function loadOpenTelemetryApi(logger: Logger): OpenTelemetryApi | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@opentelemetry/api') as OpenTelemetryApi;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    if (!missing) {
      logger.warn(`@opentelemetry/api could not be loaded, telemetry is off: ${String(error)}`, {
        code: 'ENTRA_AUTH_TELEMETRY',
      });
    }
    return undefined;
  }
}
