import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ClientCredential } from './client-credential';

/** Entra's limit for a client assertion's lifetime is 10 minutes; it is used once at once. */
const ASSERTION_LIFETIME_SECONDS = 300;

/**
 * The signed JWT a certificate credential sends instead of a secret (Microsoft identity platform,
 * "Certificate credentials"): PS256 with the certificate's `x5t#S256`, `aud` the token endpoint,
 * `iss` = `sub` = the client id, a fresh `jti`.
 */
export async function clientAssertion(
  credential: ClientCredential,
  clientId: string,
  tokenEndpoint: string,
  nowMs: number,
): Promise<string> {
  const key = credential.signingKey();
  if (!key || !credential.certificateThumbprint)
    throw new TypeError('a client assertion needs a certificate credential');
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': credential.certificateThumbprint })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenEndpoint)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
}
