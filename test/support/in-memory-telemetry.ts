import { context, metrics, trace, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import { REASON_CODES } from '../../src/core/errors';

/** One exported data point: a counter's or gauge's value, a histogram's count. */
export interface MetricPoint {
  readonly name: string;
  readonly attributes: Attributes;
  readonly value: number;
}

/**
 * The OpenTelemetry SDK as an application sets it up, with the SDK's in-memory metric exporter
 * (cumulative, read on demand) and span exporter, and an AsyncLocalStorage context manager so
 * spans find their parents. Globals: start it before the app, stop it after.
 */
export class InMemoryTelemetry {
  private readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  private readonly reader = new PeriodicExportingMetricReader({
    exporter: this.metricExporter,
    exportIntervalMillis: 2 ** 31 - 1,
  });
  private readonly meterProvider = new MeterProvider({ readers: [this.reader] });
  private readonly spanExporter = new InMemorySpanExporter();
  private readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spanExporter)],
  });

  static start(): InMemoryTelemetry {
    const telemetry = new InMemoryTelemetry();
    expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).to.equal(true);
    expect(metrics.setGlobalMeterProvider(telemetry.meterProvider)).to.equal(true);
    expect(trace.setGlobalTracerProvider(telemetry.tracerProvider)).to.equal(true);
    return telemetry;
  }

  /** Every data point the SDK holds now (totals since the start). */
  async points(): Promise<MetricPoint[]> {
    this.metricExporter.reset();
    await this.reader.forceFlush();
    const exported = this.metricExporter.getMetrics().at(-1);
    return (exported?.scopeMetrics ?? []).flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        metric.dataPoints.map((point) => ({
          name: metric.descriptor.name,
          attributes: point.attributes,
          value:
            metric.dataPointType === DataPointType.HISTOGRAM
              ? (point.value as { count: number }).count
              : (point.value as number),
        })),
      ),
    );
  }

  /** The sum of the points of `name` whose attributes include `attributes` (0 when none). */
  async value(name: string, attributes: Attributes = {}): Promise<number> {
    return sumOf(await this.points(), name, attributes);
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  async stop(): Promise<void> {
    metrics.disable();
    trace.disable();
    context.disable();
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
  }
}

export function sumOf(points: readonly MetricPoint[], name: string, attributes: Attributes = {}): number {
  return points
    .filter(
      (point) =>
        point.name === name && Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
    )
    .reduce((sum, point) => sum + point.value, 0);
}

/** The reason codes the library names (a token or a user id in `reason` is what this guards against). */
const REASONS: readonly string[] = REASON_CODES;
const KEY_SET_FAILURES = [
  'network_error',
  'timeout',
  'too_large',
  'http_status',
  'invalid_json',
  'invalid_discovery',
  'jwks_uri_off_authority',
  'discovery_changed',
  'invalid_key_set',
  'no_usable_keys',
];
const GRAPH_FAILURE =
  /^(status_\d{3}|throttled|timeout|network_error|too_large|invalid_response|too_many_pages|foreign_next_link|limited_group_properties|unexpected_error)$/;
const OUTCOMES = ['accepted', 'refused', 'unavailable', 'granted', 'denied', 'ok', 'throttled', 'failed', 'cache_hit'];

/** Every attribute the library may set, and the values it may take: fixed sets and codes only. */
const ALLOWED: Readonly<Record<string, (value: AttributeValue) => boolean>> = {
  outcome: (v) =>
    typeof v === 'string' && (OUTCOMES.includes(v) || KEY_SET_FAILURES.includes(v) || GRAPH_FAILURE.test(v)),
  reason: (v) => typeof v === 'string' && REASONS.includes(v),
  'token.version': (v) => v === '1.0' || v === '2.0',
  cache: (v) => v === 'hit' || v === 'miss',
  trigger: (v) => typeof v === 'string' && ['startup', 'refresh', 'unknown_kid', 'retry'].includes(v),
  'http.response.status_code': (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599,
  'error.type': (v) =>
    typeof v === 'string' && (REASONS.includes(v) || KEY_SET_FAILURES.includes(v) || GRAPH_FAILURE.test(v)),
};
const SPAN_NAMES = [
  'entra_auth.jwks.fetch',
  'entra_auth.graph.app_token',
  'entra_auth.graph.lookup',
  'entra_auth.token.validate',
];
/** What a token, a tenant or user id, an email or a URL looks like, whatever else the value is. */
const FORBIDDEN = [
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i,
  /@/,
  /:\/\//,
  /eyJ/,
  /[\w-]{20,}\.[\w-]{20,}/,
];

/**
 * Asserts that every attribute of every exported data point and of every span of the library holds
 * no token, tenant id, user id, email or URL: each attribute is one the library sets, with a value
 * from its fixed sets, and no value even looks like one of those. Returns how many it judged.
 */
export function expectNoPersonalOrSecretAttributes(
  points: readonly MetricPoint[],
  spans: readonly ReadableSpan[],
): number {
  const ours = spans.filter((span) => span.instrumentationScope.name === 'entra-auth-middleware');
  const attributes = [...points.map((point) => point.attributes), ...ours.map((span) => span.attributes)];
  const problems: string[] = [];
  for (const set of attributes) {
    for (const [key, value] of Object.entries(set)) {
      if (value === undefined) continue;
      const shown = `${key}=${JSON.stringify(value)}`;
      if (!ALLOWED[key]?.(value)) problems.push(`not an attribute the library sets: ${shown}`);
      if (FORBIDDEN.some((pattern) => pattern.test(String(value)))) problems.push(`looks personal or secret: ${shown}`);
    }
  }
  for (const span of ours) if (!SPAN_NAMES.includes(span.name)) problems.push(`unexpected span name: ${span.name}`);
  expect(problems).to.deep.equal([]);
  return attributes.length;
}
