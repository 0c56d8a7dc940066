import { createHash, createHmac, sign, type KeyObject } from 'node:crypto';
import { encodeJwtSegment } from '../../../src/testing';

/** The three segments of a compact token, decoded. */
export function decodeToken(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((segment) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')));
  return { header, payload };
}

/** `header.payload` signed with an RSA key under PKCS#1 v1.5 and `hash`, whatever `header.alg` says. */
export function rsaSigned(header: unknown, payload: unknown, privateKey: KeyObject, hash = 'sha256'): string {
  const input = `${encodeJwtSegment(header)}.${encodeJwtSegment(payload)}`;
  return `${input}.${sign(hash, Buffer.from(input), privateKey).toString('base64url')}`;
}

/** An HMAC-signed token: the algorithm-confusion attack when `secret` is the server's public key. */
export function hmacSigned(header: unknown, payload: unknown, secret: Buffer | string, hash = 'sha256'): string {
  const input = `${encodeJwtSegment(header)}.${encodeJwtSegment(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/** `header.payload.signature` from raw parts. */
export function assembled(header: unknown, payload: unknown, signature: Buffer | string): string {
  const encodedSignature = typeof signature === 'string' ? signature : signature.toString('base64url');
  return `${encodeJwtSegment(header)}.${encodeJwtSegment(payload)}.${encodedSignature}`;
}

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * The "signature" an RSA key with e = 1 accepts: s^1 mod n = s, so the PKCS#1 v1.5 encoded message
 * itself verifies. Anyone can forge it without any private key.
 */
export function exponentOneSignature(signingInput: string, modulusBytes: number): Buffer {
  const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(signingInput).digest()]);
  const padding = Buffer.alloc(modulusBytes - digestInfo.length - 3, 0xff);
  return Buffer.concat([Buffer.from([0x00, 0x01]), padding, Buffer.from([0x00]), digestInfo]);
}

/** A JSON payload's text with `member`'s value replaced by raw JSON text that JSON.stringify cannot produce. */
export function withRawMember(payload: Record<string, unknown>, member: string, rawValue: string): Uint8Array {
  const text = JSON.stringify({ ...payload, [member]: '@@RAW@@' }).replace('"@@RAW@@"', rawValue);
  return Buffer.from(text, 'utf8');
}
