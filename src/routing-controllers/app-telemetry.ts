import type Koa from 'koa';
import { NO_TELEMETRY, type Telemetry } from '../core/telemetry/telemetry';

/** Where {@link useEntraAuth} records an app's telemetry on its Koa context prototype, resolved once. */
const APP_TELEMETRY: unique symbol = Symbol('entra-auth-middleware:telemetry');

type ContextWithTelemetry = { [APP_TELEMETRY]?: Telemetry };

export function bindTelemetryToApp(app: Koa, telemetry: Telemetry): void {
  (app.context as ContextWithTelemetry)[APP_TELEMETRY] = telemetry;
}

/** The telemetry of the app that received the request (a Koa context), for the authorization decisions. */
export function telemetryOf(context: unknown): Telemetry {
  return (context as ContextWithTelemetry | undefined)?.[APP_TELEMETRY] ?? NO_TELEMETRY;
}
