import type { Attributes, ObservableResult } from '@opentelemetry/api';

/** How often one attribute set of a counter was counted. */
export interface Count {
  readonly attributes: Attributes;
  value: number;
}

/**
 * A counter's running totals, one per attribute set, reported by an asynchronous counter at each
 * collection. Counting is a plain increment of a total kept here, with no attribute hashing on the
 * request's path (which the SDK's synchronous counters do on every `add`); the attribute object of
 * each set is built once, the first time it is counted.
 */
export class CounterTable {
  private readonly counts = new Map<string, Count>();

  /** The total counted under `key` (one key per attribute set), if any. */
  get(key: string): Count | undefined {
    return this.counts.get(key);
  }

  /** Starts the total of a new attribute set. */
  create(key: string, attributes: Attributes): Count {
    const count: Count = { attributes: Object.freeze({ ...attributes }), value: 0 };
    this.counts.set(key, count);
    return count;
  }

  /** +1 under `key`, building its attributes the first time (for paths off the request's). */
  add(key: string, attributes: () => Attributes): void {
    (this.get(key) ?? this.create(key, attributes())).value++;
  }

  observe(result: ObservableResult): void {
    for (const { attributes, value } of this.counts.values()) result.observe(value, attributes);
  }
}
