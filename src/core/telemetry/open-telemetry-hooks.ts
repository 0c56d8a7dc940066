import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { EntraAuthError } from '../errors';
import { graphFailureOf } from '../graph/graph-request-failure';
import { KeySetFetchError, keySetFailureOf } from '../keys/key-set-fetcher';
import type { Logger } from './logger';
import type { LookupOutcome, MeterInstruments } from './meter-instruments';
import { SCOPE_NAME, type OpenTelemetryApi } from './open-telemetry-api';
import type { FetchTrigger, KeySetGauge, Observation, Telemetry, ValidationSpan } from './telemetry';
import type { TokenVersion } from '../settings/settings';

/** How a span ends: the attributes its outcome adds, and a failure code when it failed. */
interface SpanEnd {
  readonly attributes: Attributes;
  readonly failure?: string;
}

const NOT_OBSERVING: Observation = { stop() {} };

/**
 * The hooks, reporting through `@opentelemetry/api`: counts and durations into the Meter of the
 * global MeterProvider (none set: `instruments` is undefined and the per-request hooks return at
 * once), spans through the global TracerProvider, as children of the active span. Whatever the SDK
 * throws is reported once and otherwise ignored: telemetry never fails a request.
 */
export class OpenTelemetryHooks implements Telemetry {
  private readonly tracer: Tracer;
  /** What a span operation runs with when no span could be started: a span that records nothing. */
  private readonly noSpan: Span;
  private failureReported = false;

  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly instruments: MeterInstruments | undefined,
    readonly tracesValidations: boolean,
    private readonly logger: Logger,
  ) {
    this.tracer = api.trace.getTracer(SCOPE_NAME);
    this.noSpan = api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT);
  }

  validationStarted(): number {
    return this.instruments ? performance.now() : 0;
  }

  validated(
    started: number,
    refusal: EntraAuthError | undefined,
    version: TokenVersion | undefined,
    cacheHit: boolean,
    span?: ValidationSpan,
  ): void {
    try {
      this.instruments?.recordValidation(started, refusal, version, cacheHit);
      if (span) {
        (span as Span).setAttributes({
          outcome: !refusal ? 'accepted' : refusal.status === 503 ? 'unavailable' : 'refused',
          ...(refusal ? { reason: refusal.reason } : {}),
          ...(version ? { 'token.version': version } : {}),
          cache: cacheHit ? 'hit' : 'miss',
        });
      }
    } catch (error) {
      this.failed(error);
    }
  }

  traceValidation<T>(validate: (span: ValidationSpan) => Promise<T>): Promise<T> {
    // A refused token is an answer, not a failure of the validation; a 503 is one.
    return this.traced('entra_auth.token.validate', {}, false, validate, (outcome) =>
      outcome.status === 'rejected' && outcome.reason instanceof EntraAuthError && outcome.reason.status === 503
        ? { attributes: {}, failure: outcome.reason.reason }
        : { attributes: {} },
    );
  }

  authorizationGranted(): void {
    try {
      this.instruments?.countDecision(undefined);
    } catch (error) {
      this.failed(error);
    }
  }

  authorizationDenied(error: unknown): void {
    if (!(error instanceof EntraAuthError)) return;
    try {
      this.instruments?.countDecision(error);
    } catch (failure) {
      this.failed(failure);
    }
  }

  fetchKeySet<T>(
    version: TokenVersion,
    trigger: FetchTrigger,
    background: boolean,
    fetch: () => Promise<T>,
  ): Promise<T> {
    return this.traced('entra_auth.jwks.fetch', { 'token.version': version, trigger }, background, fetch, (outcome) => {
      const failure = outcome.status === 'rejected' ? keySetFailureOf(outcome.reason) : undefined;
      this.instruments?.countKeySetFetch(failure ?? 'ok', version, trigger);
      const status =
        outcome.status === 'fulfilled'
          ? 200
          : outcome.reason instanceof KeySetFetchError
            ? outcome.reason.httpStatus
            : undefined;
      return { attributes: { outcome: failure ?? 'ok', ...httpStatus(status) }, failure };
    });
  }

  observeKeySets(read: () => readonly KeySetGauge[]): Observation {
    return this.instruments?.observeKeySets(read) ?? NOT_OBSERVING;
  }

  observeTokenCache(cache: { readonly size: number }): void {
    this.instruments?.observeTokenCache(cache);
  }

  lookUpGroups<T>(lookup: () => Promise<T>): Promise<T> {
    const started = performance.now();
    return this.traced('entra_auth.graph.lookup', {}, false, lookup, (outcome) => {
      const failure = outcome.status === 'rejected' ? graphFailureOf(outcome.reason) : undefined;
      const result: LookupOutcome = !failure ? 'ok' : failure.code === 'throttled' ? 'throttled' : 'failed';
      this.instruments?.recordLookup(result, (performance.now() - started) / 1000);
      return {
        attributes: { outcome: result, ...httpStatus(failure ? failure.httpStatus : 200) },
        failure: failure?.code,
      };
    });
  }

  groupsCacheHit(): void {
    try {
      this.instruments?.recordLookup('cache_hit');
    } catch (error) {
      this.failed(error);
    }
  }

  requestAppToken<T>(request: () => Promise<T>): Promise<T> {
    return this.traced('entra_auth.graph.app_token', {}, false, request, (outcome) => {
      const failure = outcome.status === 'rejected' ? graphFailureOf(outcome.reason) : undefined;
      this.instruments?.countAppToken(failure?.code ?? 'ok');
      return {
        attributes: { outcome: failure?.code ?? 'ok', ...httpStatus(failure ? failure.httpStatus : 200) },
        failure: failure?.code,
      };
    });
  }

  /**
   * Runs `run` in a new span, the child of the active one unless `root` (background work must not
   * join the request that happened to schedule it), and ends the span with what `settled` says of
   * the outcome. The outcome itself passes through untouched.
   */
  private traced<T>(
    name: string,
    attributes: Attributes,
    root: boolean,
    run: (span: Span) => Promise<T>,
    settled: (outcome: PromiseSettledResult<T>) => SpanEnd,
  ): Promise<T> {
    const { context, trace } = this.api;
    let span = this.noSpan;
    let active: Context | undefined;
    try {
      const parent = root ? this.api.ROOT_CONTEXT : context.active();
      span = this.tracer.startSpan(name, { attributes, root }, parent);
      active = trace.setSpan(parent, span);
    } catch (error) {
      this.failed(error);
    }
    const running = active ? context.with(active, run, undefined, span) : run(span);
    return running.then(
      (value) => {
        this.end(span, () => settled({ status: 'fulfilled', value }));
        return value;
      },
      (reason: unknown) => {
        this.end(span, () => settled({ status: 'rejected', reason }));
        throw reason;
      },
    );
  }

  private end(span: Span, describe: () => SpanEnd): void {
    try {
      const { attributes, failure } = describe();
      span.setAttributes(attributes);
      if (failure !== undefined) {
        span.setAttribute('error.type', failure);
        span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: failure });
      }
      span.end();
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.failureReported) return;
    this.failureReported = true;
    this.logger.warn(`OpenTelemetry failed and is ignored from now on where it fails: ${String(error)}`, {
      code: 'ENTRA_AUTH_TELEMETRY',
    });
  }
}

function httpStatus(status: number | undefined): Attributes {
  return status === undefined ? {} : { 'http.response.status_code': status };
}
