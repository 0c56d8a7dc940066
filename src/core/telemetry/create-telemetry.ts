import type { Logger } from './logger';
import { instrumentsOf, type MeterInstruments } from './meter-instruments';
import { SCOPE_NAME, loadOpenTelemetryApi } from './open-telemetry-api';
import { OpenTelemetryHooks } from './open-telemetry-hooks';
import { NO_TELEMETRY, type Telemetry } from './telemetry';

export interface TelemetryOptions {
  /**
   * A span per token validation, with its outcome, reason code, token version and cache hit. Off
   * by default: a validation takes microseconds, and a span would cost more than the validation.
   */
  readonly validationSpans?: boolean;
}

/**
 * The telemetry of one container, decided once while it is composed: nothing at all without
 * `@opentelemetry/api`; with it, spans through the global TracerProvider and, when a MeterProvider
 * is set by then, counts into its instruments (start the OpenTelemetry SDK before the app).
 */
export function createTelemetry(options: TelemetryOptions, logger: Logger): Telemetry {
  const api = loadOpenTelemetryApi(logger);
  if (!api) return NO_TELEMETRY;
  let instruments: MeterInstruments | undefined;
  try {
    const meter = api.metrics.getMeter(SCOPE_NAME);
    // Without a MeterProvider the API hands out its no-op meter: there is nothing to count into.
    instruments = meter === api.createNoopMeter() ? undefined : instrumentsOf(meter);
  } catch (error) {
    logger.warn(`OpenTelemetry metrics could not be set up and are off: ${String(error)}`, {
      code: 'ENTRA_AUTH_TELEMETRY',
    });
  }
  return new OpenTelemetryHooks(api, instruments, options.validationSpans === true, logger);
}
