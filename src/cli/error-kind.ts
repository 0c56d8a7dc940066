const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** An error's `code` (`ENOENT`, `timeout`), when it is a plain identifier. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && IDENTIFIER.test(code) ? code : undefined;
}

/**
 * What kind of error something thrown is, fit to print: its code, else its class (`SyntaxError`).
 * Never its message, which may repeat input (a line of a file, a path that is really a token).
 */
export function errorKind(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : undefined;
  return errorCode(error) ?? (name !== undefined && IDENTIFIER.test(name) ? name : 'an error');
}
