/**
 * HTTPS is required for every URL the library fetches or trusts, except loopback hosts (the
 * emulator, local development): a plain-http key set would let anyone on the path sign tokens.
 */
export function isAllowedAuthorityUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
