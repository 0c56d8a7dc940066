import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/**
 * The OpenTelemetry SDK as an application sets it up, before the app is composed: a MeterProvider
 * read by a Prometheus exporter, whose text the demo serves itself at `GET /metrics` (the
 * exporter's own server stays off, so metrics share the API's port).
 */
export function startDemoTelemetry(): PrometheusExporter {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  return exporter;
}
