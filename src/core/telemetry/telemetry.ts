import type { InjectionToken } from 'tsyringe';
import type { EntraAuthError } from '../errors';
import type { TokenVersion } from '../settings/settings';

/** Why the key cache fetched: its first fetch, a scheduled refresh, a kid it did not hold, or after a failure. */
export type FetchTrigger = 'startup' | 'refresh' | 'unknown_kid' | 'retry';

/** One key set's state for the gauges, read at each collection. */
export interface KeySetGauge {
  readonly version: TokenVersion;
  readonly keys: number;
  /** Seconds since the last good fetch; undefined before the first. */
  readonly ageSeconds: number | undefined;
  readonly stale: boolean;
}

/** Ends what {@link Telemetry.observeKeySets} started. */
export interface Observation {
  stop(): void;
}

/** A span a traced validation runs in, handed back to {@link Telemetry.validated}; opaque to the core. */
export type ValidationSpan = object;

/**
 * The hooks through which the core reports what it decides (docs/design.md#telemetry), so that
 * the rules themselves hold no instrumentation. Per-request hooks take values the caller already
 * has: without OpenTelemetry they are empty and allocate nothing. No hook ever throws, and none is
 * given a token, a user, a tenant id or a URL.
 */
export interface Telemetry {
  /** The start of a validation, for {@link validated}: 0 when no duration is measured. */
  validationStarted(): number;
  /** A validation ended: accepted without a refusal; `version` when the token's `ver` was known. */
  validated(
    started: number,
    refusal: EntraAuthError | undefined,
    version: TokenVersion | undefined,
    cacheHit: boolean,
    span?: ValidationSpan,
  ): void;
  /** Each validation runs in its own span (off unless `registerEntraAuth`'s `telemetry.validationSpans`). */
  readonly tracesValidations: boolean;
  traceValidation<T>(validate: (span: ValidationSpan) => Promise<T>): Promise<T>;
  /** `@Authorized` or a guard let the caller through. */
  authorizationGranted(): void;
  /** `@Authorized` or a guard refused; an error that is no refusal (a provider's bug) is not counted. */
  authorizationDenied(error: unknown): void;
  /** One discovery and key-set fetch, in a span; `background` ones (scheduled) start a trace of their own. */
  fetchKeySet<T>(
    version: TokenVersion,
    trigger: FetchTrigger,
    background: boolean,
    fetch: () => Promise<T>,
  ): Promise<T>;
  /** The key sets' gauges read `read` at each collection until stopped. */
  observeKeySets(read: () => readonly KeySetGauge[]): Observation;
  /** The verified-token cache's size is reported while the cache lives (held weakly). */
  observeTokenCache(cache: { readonly size: number }): void;
  /** One Graph membership lookup (app token and all pages), in a span. */
  lookUpGroups<T>(lookup: () => Promise<T>): Promise<T>;
  /** Memberships answered from the membership cache. */
  groupsCacheHit(): void;
  /** One app-token request to the token endpoint, in a span. */
  requestAppToken<T>(request: () => Promise<T>): Promise<T>;
}

export const Telemetry: InjectionToken<Telemetry> = Symbol('Telemetry');

const NOT_OBSERVING: Observation = { stop() {} };

/** Without `@opentelemetry/api`: every hook does nothing, and the wrapped operations just run. */
export const NO_TELEMETRY: Telemetry = {
  validationStarted: () => 0,
  validated() {},
  tracesValidations: false,
  traceValidation: (validate) => validate({}),
  authorizationGranted() {},
  authorizationDenied() {},
  fetchKeySet: (_version, _trigger, _background, fetch) => fetch(),
  observeKeySets: () => NOT_OBSERVING,
  observeTokenCache() {},
  lookUpGroups: (lookup) => lookup(),
  groupsCacheHit() {},
  requestAppToken: (request) => request(),
};
