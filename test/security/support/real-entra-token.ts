import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * One file of `shared/real-entra-tokens/`: a real, expired token that Microsoft signed, with the
 * Microsoft key (a JWK as Microsoft published it) whose signature over it checks out.
 */
export interface RealEntraToken {
  readonly file: string;
  readonly token: string;
  readonly jwk: Readonly<Record<string, unknown>>;
  /** The payload, decoded here from the token itself (not from the file's copy of it). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The token's own tenant: `tid`, or the realm after `@` in an ACS token's `iss` (it has no `tid`). */
  readonly tenantId: string;
  readonly audience: string;
  /** Just after the token was issued (`iat`, else `nbf`), in milliseconds: when it was still valid. */
  readonly issuedAtMs: number;
}

export function readRealEntraTokens(folder: string): RealEntraToken[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) =>
      toRealEntraToken(file, JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Record<string, unknown>),
    );
}

function toRealEntraToken(file: string, document: Record<string, unknown>): RealEntraToken {
  const token = document['token'];
  const jwk = document['jwk'];
  if (typeof token !== 'string' || typeof jwk !== 'object' || jwk === null) throw new Error(`${file}: no token or jwk`);
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const { tid, iss, aud, iat, nbf } = claims;
  const tenantId = typeof tid === 'string' ? tid : typeof iss === 'string' ? iss.split('@')[1] : undefined;
  const issuedAt = typeof iat === 'number' ? iat : nbf;
  if (tenantId === undefined || typeof aud !== 'string' || typeof issuedAt !== 'number') {
    throw new Error(`${file}: no tenant, audience or issue time in the token`);
  }
  return {
    file,
    token,
    jwk: jwk as Record<string, unknown>,
    claims,
    tenantId,
    audience: aud,
    issuedAtMs: (issuedAt + 1) * 1000,
  };
}
