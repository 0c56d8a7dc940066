/**
 * A write the fleet must see could not be made: the shared store is unavailable. What was asked is
 * in force on this instance; retrying makes it fleet-wide.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';

  constructor(what: string) {
    super(`${what} is in force on this instance only: the shared store could not record it; retry`);
  }
}
