// Run in a child process by no-sdk.test.ts: `node --expose-gc allocation-probe.js <mode>`, with
// `--require without-opentelemetry-api.js` for the mode `no-api`. Prints one JSON line.
import 'reflect-metadata';
import { getHeapStatistics, GCProfiler } from 'node:v8';
import type * as OpenTelemetryApi from '@opentelemetry/api';
import type * as MetricsSdk from '@opentelemetry/sdk-metrics';
import { container } from 'tsyringe';
import {
  AuthorizationException,
  EntraIdProvider,
  InvalidTokenException,
  JwksCache,
  ProcessWarningLogger,
  registerEntraAuth,
} from '../../../../src';
import { NO_TELEMETRY, Telemetry } from '../../../../src/core/telemetry/telemetry';
import { createTelemetry } from '../../../../src/core/telemetry/create-telemetry';
import { EntraEmulator } from '../../../../src/testing';

type Mode = 'no-api' | 'no-provider' | 'sdk';

const ITERATIONS = 1_000_000;

/**
 * What the core's per-request paths hand the hooks, with values the caller already holds: an
 * accepted cached token, a granted decision, a membership cache hit, a refusal and a denial.
 */
function request(telemetry: Telemetry, refusal: InvalidTokenException, denial: AuthorizationException): void {
  const started = telemetry.validationStarted();
  telemetry.validated(started, undefined, '2.0', true, undefined);
  telemetry.authorizationGranted();
  telemetry.groupsCacheHit();
  const refusedAt = telemetry.validationStarted();
  telemetry.validated(refusedAt, refusal, '2.0', false, undefined);
  telemetry.authorizationDenied(denial);
}

/**
 * Heap bytes the hooks allocate per request, measured over a million requests after as many to
 * compile them, with the garbage collections that ran meanwhile (none, or the count is void).
 */
function allocation(telemetry: Telemetry): { bytesPerRequest: number; collections: number } {
  const refusal = new InvalidTokenException('token_expired');
  const denial = new AuthorizationException('insufficient_groups');
  for (let i = 0; i < ITERATIONS; i++) request(telemetry, refusal, denial);
  global.gc!();
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  for (let i = 0; i < ITERATIONS; i++) request(telemetry, refusal, denial);
  const after = getHeapStatistics().used_heap_size;
  const collections = profiler.stop().statistics.length;
  return { bytesPerRequest: (after - before) / ITERATIONS, collections };
}

/** A real token through a container, as an app validates it: the library works in this mode. */
async function validates(): Promise<{ accepted: boolean; refused: string; telemetry: string }> {
  const emulator = await EntraEmulator.start();
  const scoped = container.createChildContainer();
  try {
    registerEntraAuth(scoped, {
      settings: {
        tenantId: emulator.tenants.primary.id,
        audiences: [emulator.apiClientId],
        jwksUrlTemplate: emulator.jwksUrlTemplate,
      },
      env: {},
    });
    const provider = scoped.resolve(EntraIdProvider);
    const verified = await provider.verifyToken(emulator.mintAccessToken());
    const refused = await provider.verifyToken(emulator.mintAccessToken({ audience: 'api://other' })).then(
      () => 'accepted',
      (error: InvalidTokenException) => error.reason,
    );
    const telemetry = scoped.resolve(Telemetry);
    return {
      accepted: verified.version === '2.0',
      refused,
      telemetry: telemetry === NO_TELEMETRY ? 'none' : telemetry.constructor.name,
    };
  } finally {
    scoped.resolve(JwksCache).close();
    await emulator.close();
  }
}

function apiResolves(): boolean {
  try {
    require.resolve('@opentelemetry/api');
    return true;
  } catch {
    return false;
  }
}

async function main(mode: Mode): Promise<void> {
  // Required only now: the mode no-api must never load them.
  if (mode === 'sdk') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { metrics } = require('@opentelemetry/api') as typeof OpenTelemetryApi;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('@opentelemetry/sdk-metrics') as typeof MetricsSdk;
    const exporter = new sdk.InMemoryMetricExporter(sdk.AggregationTemporality.CUMULATIVE);
    const reader = new sdk.PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 2 ** 31 - 1 });
    metrics.setGlobalMeterProvider(new sdk.MeterProvider({ readers: [reader] }));
  }
  const result = {
    mode,
    apiResolves: apiResolves(),
    ...(await validates()),
    ...allocation(createTelemetry({}, new ProcessWarningLogger())),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(process.argv[2] as Mode).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
