/** How an instrument reports: counters only grow, gauges are read at each collection. */
export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

export interface InstrumentDefinition {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** Every attribute it may carry: a fixed, small set of values each, never a token, user, tenant or URL. */
  readonly attributes: readonly string[];
}

/**
 * Every instrument of the library (docs/design.md#telemetry), one row each: the OpenTelemetry
 * instruments are created from these rows, and the README's Observability table lists them.
 * Prometheus exporters spell the names with underscores and add `_total` to counters.
 */
export const INSTRUMENTS = {
  validations: {
    name: 'entra_auth.token.validations',
    kind: 'counter',
    unit: '{validation}',
    description: 'Access tokens validated, by outcome, reason code, token version and verified-token cache hit',
    attributes: ['outcome', 'reason', 'token.version', 'cache'],
  },
  validationDuration: {
    name: 'entra_auth.token.validation.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time to validate one access token',
    attributes: ['outcome'],
  },
  authorizationDecisions: {
    name: 'entra_auth.authorization.decisions',
    kind: 'counter',
    unit: '{decision}',
    description: 'Decisions of @Authorized and the guards, by outcome and reason code',
    attributes: ['outcome', 'reason'],
  },
  jwksFetches: {
    name: 'entra_auth.jwks.fetches',
    kind: 'counter',
    unit: '{fetch}',
    description: 'Discovery and key-set fetches, by outcome (ok or a failure code), token version and trigger',
    attributes: ['outcome', 'token.version', 'trigger'],
  },
  jwksKeys: {
    name: 'entra_auth.jwks.keys',
    kind: 'gauge',
    unit: '{key}',
    description: 'Usable signing keys held, per token version',
    attributes: ['token.version'],
  },
  jwksAge: {
    name: 'entra_auth.jwks.age',
    kind: 'gauge',
    unit: 's',
    description: 'Seconds since the last good key-set fetch, per token version',
    attributes: ['token.version'],
  },
  jwksStale: {
    name: 'entra_auth.jwks.stale',
    kind: 'gauge',
    unit: '1',
    description: '1 while the last key refresh failed and the last good keys serve, else 0',
    attributes: ['token.version'],
  },
  graphLookups: {
    name: 'entra_auth.graph.lookups',
    kind: 'counter',
    unit: '{lookup}',
    description: 'Group-membership lookups for groups overage, by outcome',
    attributes: ['outcome'],
  },
  graphLookupDuration: {
    name: 'entra_auth.graph.lookup.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time of one Microsoft Graph membership lookup, all pages and the app token included',
    attributes: ['outcome'],
  },
  graphAppTokens: {
    name: 'entra_auth.graph.app_tokens',
    kind: 'counter',
    unit: '{token}',
    description: 'App-token requests for Microsoft Graph, by outcome (ok or a failure code)',
    attributes: ['outcome'],
  },
  tokenCacheEntries: {
    name: 'entra_auth.token_cache.entries',
    kind: 'gauge',
    unit: '{entry}',
    description: 'Tokens held by the verified-token caches',
    attributes: [],
  },
} as const satisfies Record<string, InstrumentDefinition>;
