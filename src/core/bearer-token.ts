import { InvalidTokenException } from './errors';

const BEARER = /^bearer +(.*)$/i;

/**
 * Rule 1, the request part, framework-free: reads Node's `rawHeaders` because `headers` keeps only
 * the first of two `Authorization` headers, and two must never be resolved silently.
 * Returns undefined when the request carries no bearer credentials (none, or another scheme);
 * throws `token_malformed` / `token_too_large` for a malformed header.
 * Query strings and cookies are never read.
 */
export function readBearerToken(rawHeaders: readonly string[], maxTokenBytes: number): string | undefined {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'authorization') values.push(rawHeaders[i + 1]!);
  }
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidTokenException('token_malformed');

  const value = values[0]!.trim();
  const scheme = /^\S*/.exec(value)![0];
  if (scheme.length > 0 && scheme.toLowerCase() !== 'bearer') return undefined;
  const credentials = BEARER.exec(value)?.[1];
  if (credentials === undefined || credentials.length === 0) {
    throw new InvalidTokenException('token_malformed');
  }
  if (Buffer.byteLength(credentials) > maxTokenBytes) throw new InvalidTokenException('token_too_large');
  return credentials;
}
