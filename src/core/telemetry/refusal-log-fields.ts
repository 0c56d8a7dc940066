import type { LogFields } from './logger';
import { isGuid } from '../guid';
import { ownMember } from '../json-object';
import type { ReasonCode } from '../errors';

/** Printable ASCII without `@`, quotes or backslashes: no email, no name with spaces, no forged log line. */
const SAFE_VALUE = /^[\x21\x23-\x3f\x41-\x5b\x5d-\x7e]{1,256}$/;

function safe(value: unknown): value is string {
  return typeof value === 'string' && SAFE_VALUE.test(value);
}

/**
 * What the debug log tells of a refused token: its reason code and, when the token got far enough
 * to have them, its `kid`, `ver`, `tid` (a GUID only) and `aud`, each only in a shape that cannot
 * carry a name, an email or a forged log line. The token, its signature and every other claim stay
 * out; a value of another shape is left out rather than cleaned.
 */
export function refusalLogFields(
  reason: ReasonCode,
  kid: string | undefined,
  claims: Readonly<Record<string, unknown>> | undefined,
): LogFields {
  const ver = claims && ownMember(claims, 'ver');
  const tid = claims && ownMember(claims, 'tid');
  const aud = claims && ownMember(claims, 'aud');
  return {
    reason,
    ...(safe(kid) ? { kid } : {}),
    ...(safe(ver) ? { ver } : {}),
    ...(isGuid(tid) ? { tid } : {}),
    ...(safe(aud) ? { aud } : {}),
  };
}
