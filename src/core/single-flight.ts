/**
 * One operation per key at a time: the first caller starts it, every caller until it settles
 * shares its outcome (the key cache's fetches, Graph lookups per user, app tokens per tenant).
 *
 * A flight is over before anything reacts to its outcome: `settled` runs once the key is free
 * again and before any caller sees the result, so a reaction that asks again (a refresh it
 * schedules, an event listener it runs) starts a new operation instead of joining the finished one.
 */
export class SingleFlight<K, T> {
  private readonly flights = new Map<K, Promise<T>>();

  /** The operation under way for `key`, if any. */
  current(key: K): Promise<T> | undefined {
    return this.flights.get(key);
  }

  /** Joins the operation under way for `key`, or starts one with `start` (then `settled` reacts to it). */
  run(key: K, start: () => Promise<T>, settled?: (outcome: PromiseSettledResult<T>) => void): Promise<T> {
    const underway = this.flights.get(key);
    if (underway) return underway;
    const flight = start().then(
      (value) => {
        this.flights.delete(key);
        settled?.({ status: 'fulfilled', value });
        return value;
      },
      (reason: unknown) => {
        this.flights.delete(key);
        settled?.({ status: 'rejected', reason });
        throw reason;
      },
    );
    this.flights.set(key, flight);
    return flight;
  }
}
