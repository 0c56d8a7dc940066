import type { LogFields, Logger } from '../../src';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** A Logger that keeps every entry, for tests of what the library tells operators. */
export function recordingLogger(): { readonly logger: Logger; readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: string, fields?: LogFields): void => {
      entries.push({ level, message, fields });
    };
  return {
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    entries,
  };
}
