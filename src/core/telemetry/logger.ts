import type { InjectionToken } from 'tsyringe';

/**
 * What a log entry may carry besides its message: a flat record of safe values (reason codes,
 * versions, counts, kids, tenant ids). Never a token, a signature, a secret, a name or an email.
 */
export type LogFields = Readonly<Record<string, string | number | boolean>>;

/**
 * Where the library tells operators what it does: key refreshes, stale keys, authority and Graph
 * failures, configuration warnings, and (at `debug`) each refused token. Also the tsyringe token:
 * plug in your own with `container.register(Logger, { useValue: myLogger })`.
 *
 * Entries that an operator must act on carry a stable warning `code` (`ENTRA_AUTH_…`) among their
 * fields; the default logger turns those, and only those, into process warnings.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const Logger: InjectionToken<Logger> = Symbol('Logger');
