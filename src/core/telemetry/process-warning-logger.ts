import type { LogFields, Logger } from './logger';

/**
 * The default logger: what the library always reported as process warnings (entries with a
 * warning `code`, at `warn` or `error`) stays a process warning with that code; everything else is
 * dropped, as it was before there was a logger to receive it.
 */
export class ProcessWarningLogger implements Logger {
  debug(): void {}

  info(): void {}

  warn(message: string, fields?: LogFields): void {
    emitCodedWarning(message, fields);
  }

  error(message: string, fields?: LogFields): void {
    emitCodedWarning(message, fields);
  }
}

function emitCodedWarning(message: string, fields: LogFields | undefined): void {
  const code = fields?.code;
  if (typeof code === 'string') process.emitWarning(message, { code });
}
