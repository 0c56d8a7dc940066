import type { Attributes, BatchObservableResult, Histogram, Meter, ObservableGauge } from '@opentelemetry/api';
import { CounterTable } from './counter-table';
import type { EntraAuthError } from '../errors';
import { INSTRUMENTS, type InstrumentDefinition } from './instruments';
import type { FetchTrigger, KeySetGauge, Observation } from './telemetry';
import type { TokenVersion } from '../settings/settings';

export type ValidationOutcome = 'accepted' | 'refused' | 'unavailable';
export type LookupOutcome = 'ok' | 'throttled' | 'failed';

/** From 10 µs (a cached token) to 10 s (a validation that waited for a key-set fetch). */
const VALIDATION_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10,
];
/** From 5 ms to the lookup deadline's order (2 × HTTP_TIMEOUT_MS, 10 s by default) and beyond. */
const LOOKUP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const VERSIONS = ['1.0', '2.0'] as const;

function options(definition: InstrumentDefinition): { description: string; unit: string } {
  return { description: definition.description, unit: definition.unit };
}

/**
 * The instruments of one Meter, made once and shared by every container that reports to it (two
 * apps in one process add to the same totals). Counters are {@link CounterTable}s reported by
 * asynchronous counters; the two histograms are the only SDK calls on a request's path. Gauges
 * report the worst of all the key caches (fewest keys, oldest, stale) and the sum of all
 * verified-token caches.
 */
export class MeterInstruments {
  /** By cache hit and token version (`hit`/`miss` × 1.0, 2.0, unknown), each keyed by reason ('' = accepted). */
  private readonly validations = Array.from({ length: 6 }, () => new CounterTable());
  /** Keyed by reason, '' = granted. */
  private readonly decisions = new CounterTable();
  private readonly jwksFetches = new CounterTable();
  private readonly graphLookups = new CounterTable();
  private readonly appTokens = new CounterTable();
  private readonly validationDuration: Histogram;
  private readonly graphLookupDuration: Histogram;
  private readonly durationAttributes: Readonly<Record<ValidationOutcome, Attributes>> = {
    accepted: Object.freeze({ outcome: 'accepted' }),
    refused: Object.freeze({ outcome: 'refused' }),
    unavailable: Object.freeze({ outcome: 'unavailable' }),
  };
  private readonly lookupAttributes: Readonly<Record<LookupOutcome, Attributes>> = {
    ok: Object.freeze({ outcome: 'ok' }),
    throttled: Object.freeze({ outcome: 'throttled' }),
    failed: Object.freeze({ outcome: 'failed' }),
  };
  private readonly keySetSources = new Set<() => readonly KeySetGauge[]>();
  private readonly tokenCaches = new Set<WeakRef<{ readonly size: number }>>();

  constructor(meter: Meter) {
    meter
      .createObservableCounter(INSTRUMENTS.validations.name, options(INSTRUMENTS.validations))
      .addCallback((result) => this.validations.forEach((table) => table.observe(result)));
    meter
      .createObservableCounter(INSTRUMENTS.authorizationDecisions.name, options(INSTRUMENTS.authorizationDecisions))
      .addCallback((result) => this.decisions.observe(result));
    meter
      .createObservableCounter(INSTRUMENTS.jwksFetches.name, options(INSTRUMENTS.jwksFetches))
      .addCallback((result) => this.jwksFetches.observe(result));
    meter
      .createObservableCounter(INSTRUMENTS.graphLookups.name, options(INSTRUMENTS.graphLookups))
      .addCallback((result) => this.graphLookups.observe(result));
    meter
      .createObservableCounter(INSTRUMENTS.graphAppTokens.name, options(INSTRUMENTS.graphAppTokens))
      .addCallback((result) => this.appTokens.observe(result));
    this.validationDuration = meter.createHistogram(INSTRUMENTS.validationDuration.name, {
      ...options(INSTRUMENTS.validationDuration),
      advice: { explicitBucketBoundaries: VALIDATION_BUCKETS },
    });
    this.graphLookupDuration = meter.createHistogram(INSTRUMENTS.graphLookupDuration.name, {
      ...options(INSTRUMENTS.graphLookupDuration),
      advice: { explicitBucketBoundaries: LOOKUP_BUCKETS },
    });
    const keys = meter.createObservableGauge(INSTRUMENTS.jwksKeys.name, options(INSTRUMENTS.jwksKeys));
    const age = meter.createObservableGauge(INSTRUMENTS.jwksAge.name, options(INSTRUMENTS.jwksAge));
    const stale = meter.createObservableGauge(INSTRUMENTS.jwksStale.name, options(INSTRUMENTS.jwksStale));
    meter.addBatchObservableCallback((result) => this.reportKeySets(result, keys, age, stale), [keys, age, stale]);
    meter
      .createObservableGauge(INSTRUMENTS.tokenCacheEntries.name, options(INSTRUMENTS.tokenCacheEntries))
      .addCallback((result) => result.observe(this.tokenCacheEntries()));
  }

  recordValidation(
    started: number,
    refusal: EntraAuthError | undefined,
    version: TokenVersion | undefined,
    cacheHit: boolean,
  ): void {
    const versionIndex = version === '1.0' ? 0 : version === '2.0' ? 1 : 2;
    const table = this.validations[(cacheHit ? 3 : 0) + versionIndex]!;
    const reason = refusal?.reason ?? '';
    const outcome: ValidationOutcome = !refusal ? 'accepted' : refusal.status === 503 ? 'unavailable' : 'refused';
    (
      table.get(reason) ??
      table.create(reason, {
        outcome,
        ...(refusal ? { reason: refusal.reason } : {}),
        ...(version ? { 'token.version': version } : {}),
        cache: cacheHit ? 'hit' : 'miss',
      })
    ).value++;
    this.validationDuration.record((performance.now() - started) / 1000, this.durationAttributes[outcome]);
  }

  countDecision(refusal: EntraAuthError | undefined): void {
    const reason = refusal?.reason ?? '';
    (
      this.decisions.get(reason) ??
      this.decisions.create(reason, refusal ? { outcome: 'denied', reason: refusal.reason } : { outcome: 'granted' })
    ).value++;
  }

  countKeySetFetch(outcome: string, version: TokenVersion, trigger: FetchTrigger): void {
    this.jwksFetches.add(`${outcome} ${version} ${trigger}`, () => ({ outcome, 'token.version': version, trigger }));
  }

  recordLookup(outcome: LookupOutcome | 'cache_hit', durationSeconds?: number): void {
    (this.graphLookups.get(outcome) ?? this.graphLookups.create(outcome, { outcome })).value++;
    if (outcome !== 'cache_hit' && durationSeconds !== undefined) {
      this.graphLookupDuration.record(durationSeconds, this.lookupAttributes[outcome]);
    }
  }

  countAppToken(outcome: string): void {
    this.appTokens.add(outcome, () => ({ outcome }));
  }

  observeKeySets(read: () => readonly KeySetGauge[]): Observation {
    this.keySetSources.add(read);
    return { stop: () => this.keySetSources.delete(read) };
  }

  observeTokenCache(cache: { readonly size: number }): void {
    this.tokenCaches.add(new WeakRef(cache));
  }

  private tokenCacheEntries(): number {
    let entries = 0;
    for (const reference of this.tokenCaches) {
      const cache = reference.deref();
      if (cache) entries += cache.size;
      else this.tokenCaches.delete(reference);
    }
    return entries;
  }

  private reportKeySets(
    result: BatchObservableResult,
    keys: ObservableGauge,
    age: ObservableGauge,
    stale: ObservableGauge,
  ): void {
    const gauges = [...this.keySetSources].flatMap((read) => read());
    for (const version of VERSIONS) {
      const held = gauges.filter((gauge) => gauge.version === version);
      if (held.length === 0) continue;
      const attributes = { 'token.version': version };
      result.observe(keys, Math.min(...held.map((gauge) => gauge.keys)), attributes);
      const ages = held.flatMap((gauge) => (gauge.ageSeconds === undefined ? [] : [gauge.ageSeconds]));
      if (ages.length > 0) result.observe(age, Math.max(...ages), attributes);
      result.observe(stale, held.some((gauge) => gauge.stale) ? 1 : 0, attributes);
    }
  }
}

const byMeter = new WeakMap<Meter, MeterInstruments>();

/** The instruments of `meter`, made the first time a container reports to it. */
export function instrumentsOf(meter: Meter): MeterInstruments {
  let instruments = byMeter.get(meter);
  if (!instruments) {
    instruments = new MeterInstruments(meter);
    byMeter.set(meter, instruments);
  }
  return instruments;
}
