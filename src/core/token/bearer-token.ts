import { InvalidTokenException } from '../errors';

const SPACE = 0x20;
const SCHEME = 'bearer';
/**
 * Where bearer credentials may hide: the value's first word (after any whitespace, Unicode
 * included) starts with "bearer", or a later comma-separated member does (a proxy joining two
 * headers). Such a value is bearer credentials, well-formed or not.
 */
const BEARER_ANYWHERE = /^\s*bearer|,\s*bearer/i;

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

  // Runs on every request, so it looks at the scheme's characters only: what follows is checked
  // character by character by parseToken (anything outside base64url and dots: token_malformed).
  // HTTP's optional whitespace is spaces and tabs; String.trim() would also drop U+00A0 and others.
  const value = values[0]!.replace(/^[ \t]+|[ \t]+$/g, '');
  if (value.length === 0) throw new InvalidTokenException('token_malformed');
  // Lenient parsers elsewhere (proxies, other services, `startsWith('Bearer')`) take "Bearer.<t>",
  // "Bearer,<t>" or "Basic x, Bearer <t>" for a bearer token. Read here as "another scheme", an open
  // route would serve such a request anonymously; bad credentials are never ignored, so anything
  // that looks like bearer credentials and is not exactly "Bearer", spaces, credentials is
  // malformed. No registered scheme name starts with "Bearer".
  if (!BEARER_ANYWHERE.test(value)) return undefined;
  if (value.slice(0, SCHEME.length).toLowerCase() !== SCHEME) throw new InvalidTokenException('token_malformed');
  let start = SCHEME.length;
  while (value.charCodeAt(start) === SPACE) start++;
  const credentials = value.slice(start);
  if (start === SCHEME.length || credentials.length === 0 || credentials.includes(',')) {
    throw new InvalidTokenException('token_malformed');
  }
  if (Buffer.byteLength(credentials) > maxTokenBytes) throw new InvalidTokenException('token_too_large');
  return credentials;
}
