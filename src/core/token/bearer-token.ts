import { InvalidTokenException } from '../errors';

const SPACE = 0x20;
const SCHEME = 'bearer';
/** RFC 9110 §5.6.2 `tchar`: the characters an authentication scheme name is made of. */
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

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
  // A scheme name is a run of tchar (RFC 9110 §11.1), so "Bearer" followed by one more tchar
  // ("BearerX", "Bearer-2") names another scheme, which this API does not read. Anything else after
  // "Bearer" (",", ";", ":", a tab, a no-break space) ends the scheme name there: the value can only
  // be Bearer credentials, malformed, and lenient parsers elsewhere (proxies, other services) may
  // well take what follows for the token. Read as "another scheme", an open route would serve
  // such a request anonymously; bad credentials are never ignored.
  if (value.slice(0, SCHEME.length).toLowerCase() !== SCHEME || TCHAR.test(value.charAt(SCHEME.length))) {
    return undefined;
  }
  let start = SCHEME.length;
  while (value.charCodeAt(start) === SPACE) start++;
  const credentials = value.slice(start);
  if (start === SCHEME.length || credentials.length === 0) {
    throw new InvalidTokenException('token_malformed');
  }
  if (Buffer.byteLength(credentials) > maxTokenBytes) throw new InvalidTokenException('token_too_large');
  return credentials;
}
