import { createPublicKey, verify } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { EntraEmulator } from '../../src/testing';
import type { AuthorityConfig } from './bench-tokens';
import { benchProvider } from './bench-provider';

export interface MicroRun {
  readonly opsPerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/**
 * Runs `op` back to back for `seconds` after a warm-up, timing every call. ops/s is the inverse of
 * the mean of those timings. An op returning a promise is awaited, as a middleware would.
 */
export async function measure(op: () => unknown, seconds: number): Promise<MicroRun> {
  await loop(op, Math.min(0.5, seconds / 2));
  const samples = await loop(op, seconds);
  samples.sort();
  const total = samples.reduce((sum, ns) => sum + ns, 0);
  const at = (quantile: number): number => (samples[Math.floor(quantile * (samples.length - 1))] ?? 0) / 1000;
  return { opsPerSecond: (samples.length * 1e9) / total, p50Us: at(0.5), p99Us: at(0.99) };
}

async function loop(op: () => unknown, seconds: number): Promise<Float64Array> {
  let samples = new Float64Array(1 << 16);
  let count = 0;
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (;;) {
    const start = process.hrtime.bigint();
    if (start >= end) break;
    const result = op();
    if (result instanceof Promise) await result;
    if (count === samples.length) {
      const grown = new Float64Array(samples.length * 2);
      grown.set(samples);
      samples = grown;
    }
    samples[count++] = Number(process.hrtime.bigint() - start);
  }
  return samples.subarray(0, count);
}

export interface MicroSubjects {
  readonly raw: () => unknown;
  readonly oursCold: () => unknown;
  readonly oursCached: () => unknown;
  readonly jose: () => unknown;
  close(): void;
}

/**
 * The four single-core paths over one token. Every path but the raw one receives the token as a
 * new string each call, as each HTTP request brings one: a string reused across calls would have
 * its hash cached by V8 and make a cache lookup look cheaper than it is.
 */
export async function microSubjects(
  emulator: EntraEmulator,
  authority: AuthorityConfig,
  ca: string,
  token: string,
): Promise<MicroSubjects> {
  const tokenBytes = Buffer.from(token, 'latin1');
  const freshToken = (): string => tokenBytes.toString('latin1');

  const lastDot = token.lastIndexOf('.');
  const signingInput = Buffer.from(token.slice(0, lastDot));
  const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
  const publicKey = createPublicKey(emulator.privateKeyFor(emulator.currentKid));

  const providers = [10000, 0].map((entries) => benchProvider(authority, entries, ca));
  const [cached, cold] = providers as [(typeof providers)[0], (typeof providers)[0]];
  await cached.provider.verifyToken(token);
  await cold.provider.verifyToken(token);

  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: emulator.currentKid, use: 'sig' };
  const keySet = createLocalJWKSet({ keys: [jwk] } as JSONWebKeySet);
  const joseOptions = { issuer: authority.issuer, audience: authority.audience, algorithms: ['RS256'] };
  await jwtVerify(token, keySet, joseOptions);

  return {
    raw: () => verify('sha256', signingInput, publicKey, signature),
    oursCold: () => cold.provider.verifyToken(freshToken()),
    oursCached: () => cached.provider.verifyToken(freshToken()),
    jose: () => jwtVerify(freshToken(), keySet, joseOptions),
    close: () => providers.forEach(({ cache }) => cache.close()),
  };
}
