import { GUID_SOURCE, isGuid } from '../guid';

/** A token identifier (`uti`) as Entra issues it (22 base64url characters), with room to spare. */
const UTI_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const USER_ENTRY = new RegExp(`^user:(${GUID_SOURCE})/(${GUID_SOURCE}):(\\d{1,12})$`, 'i');
const TOKEN_ENTRY = /^token:([A-Za-z0-9_-]{1,64}):(\d{1,12})$/;

/**
 * One revocation: the sessions of a user (`tid`/`oid`), or one token (`uti`). Tokens of that
 * user issued before `notBefore` are refused, and the one token whatever its times.
 */
export type Revocation =
  | {
      readonly kind: 'user';
      /** `<tid>/<oid>`, lowercase: the key the per-request lookup uses. */
      readonly subject: string;
      /** Epoch seconds: a token of the user must carry `iat` and `nbf` at or after this. */
      readonly notBefore: number;
    }
  | {
      readonly kind: 'token';
      /** The token's `uti`. */
      readonly subject: string;
      /** Epoch seconds: when it was revoked, what a claims challenge asks a new token's `nbf` to reach. */
      readonly notBefore: number;
    };

/** The lookup key of a user's revocation: both GUIDs, lowercase. */
export function userSubject(tenantId: string, userId: string): string {
  return `${tenantId}/${userId}`.toLowerCase();
}

export function userRevocation(tenantId: string, userId: string, notBefore: number): Revocation {
  if (!isGuid(tenantId) || !isGuid(userId)) throw new TypeError('tenantId and userId must be GUIDs (tid and oid)');
  return { kind: 'user', subject: userSubject(tenantId, userId), notBefore };
}

export function tokenRevocation(uti: string, notBefore: number): Revocation {
  if (typeof uti !== 'string' || !UTI_PATTERN.test(uti)) {
    throw new TypeError('uti must be a token identifier: 1 to 64 base64url characters');
  }
  return { kind: 'token', subject: uti, notBefore };
}

/** The text a revocation travels as, in the store's log and messages: `user:<tid>/<oid>:<notBefore>` or `token:<uti>:<notBefore>`. */
export function encodeRevocation(revocation: Revocation): string {
  return `${revocation.kind}:${revocation.subject}:${revocation.notBefore}`;
}

/** The revocation a text encodes; `undefined` for anything else (foreign or damaged data is never trusted). */
export function decodeRevocation(text: string): Revocation | undefined {
  const user = USER_ENTRY.exec(text);
  if (user) return { kind: 'user', subject: userSubject(user[1]!, user[2]!), notBefore: Number(user[3]) };
  const token = TOKEN_ENTRY.exec(text);
  if (token) return { kind: 'token', subject: token[1]!, notBefore: Number(token[2]) };
  return undefined;
}
