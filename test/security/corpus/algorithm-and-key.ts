// Algorithm and key: alg none, confused and malformed algs, HMAC keyed with the public key, ECDSA
// "psychic" signatures, and key sets that serve the token's kid as a key that must never verify.
import { createPublicKey, generateKeyPairSync, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { encodeJwtSegment, type TestKeyPair, type EntraEmulator, type MintOptions } from '../../../src/testing';
import type { Random } from '../../support/random';
import { generateRocaStructuredKey } from '../support/roca-key';
import { assembled, decodeToken, exponentOneSignature, hmacSigned, rsaSigned } from '../support/token-forge';
import {
  bearerCase,
  perTokenKind,
  TOKEN_KINDS,
  type CorpusContext,
  type HostileCase,
  type Scenario,
} from './hostile-case';

const NONE_CASINGS = ['none', 'None', 'NONE', 'nOnE', 'NoNe', 'nONE', 'noNE'];
const MALFORMED_ALGS: unknown[] = [
  'rs256',
  'Rs256',
  'rS256',
  'RS256 ',
  ' RS256',
  'RS256\u0000',
  'RS256\n',
  '',
  'RS 256',
  'RS-256',
  'RSA256',
  'RS257',
  'RS2560',
  'RS25',
  null,
  256,
  0,
  -1,
  1.5,
  true,
  false,
  ['RS256'],
  { alg: 'RS256' },
  'HS256 ',
  'ES256',
  'ES256K',
  'EdDSA',
  'RSA-OAEP',
  'RSA1_5',
  'dir',
  'A256GCM',
  'A128KW',
  'none ',
  'RS256,none',
  'PS256\u200b',
];
const HMAC_HASHES: ReadonlyArray<[string, string]> = [
  ['HS256', 'sha256'],
  ['HS384', 'sha384'],
  ['HS512', 'sha512'],
];

/** Everything an attacker can derive from the published key, as an HMAC secret. */
function publicKeyEncodings(publicKey: KeyObject): Array<[string, Buffer | string]> {
  const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const pkcs1Pem = publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return [
    ['SPKI PEM with newline', spkiPem],
    ['SPKI PEM without newline', spkiPem.trimEnd()],
    ['SPKI PEM with CRLF', spkiPem.replace(/\n/g, '\r\n')],
    ['PKCS#1 PEM with newline', pkcs1Pem],
    ['PKCS#1 PEM without newline', pkcs1Pem.trimEnd()],
    ['PEM with leading junk', `junk\n${spkiPem}`],
    ['SPKI DER', publicKey.export({ type: 'spki', format: 'der' })],
    ['PKCS#1 DER', publicKey.export({ type: 'pkcs1', format: 'der' })],
    ['JWK JSON', JSON.stringify(jwk)],
    ['JWK JSON with kty first', JSON.stringify({ kty: jwk['kty'], n: jwk['n'], e: jwk['e'] })],
    ['raw modulus', Buffer.from(jwk['n']!, 'base64url')],
    ['modulus base64url', jwk['n']!],
  ];
}

function payloadOf(emulator: EntraEmulator, options: MintOptions): Record<string, unknown> {
  return decodeToken(emulator.mintAccessToken(options)).payload;
}

function algorithmCases({ emulator }: CorpusContext, publicKey: KeyObject): HostileCase[] {
  const kid = emulator.currentKid;
  const cases: HostileCase[] = [];
  for (const alg of NONE_CASINGS) {
    cases.push(
      ...perTokenKind(
        `alg ${alg}, empty signature`,
        (options) => `${encodeJwtSegment({ alg, kid, typ: 'JWT' })}.${encodeJwtSegment(payloadOf(emulator, options))}.`,
      ),
    );
    cases.push(
      ...perTokenKind(`alg ${alg}, kept signature`, (options) => {
        const [, payload, signature] = emulator.mintAccessToken(options).split('.');
        return `${encodeJwtSegment({ alg, kid, typ: 'JWT' })}.${payload}.${signature}`;
      }),
    );
  }
  for (const alg of MALFORMED_ALGS) {
    // Signed for real over the lying header: only the alg is wrong.
    cases.push(
      ...perTokenKind(`alg ${JSON.stringify(alg)}`, (options) =>
        emulator.mintAccessToken({ ...options, header: { alg } }),
      ),
    );
  }
  cases.push(
    ...perTokenKind('alg missing', (options) => emulator.mintAccessToken({ ...options, header: { alg: undefined } })),
  );
  for (const alg of ['PS256', 'PS384', 'PS512', 'RS384', 'RS512'] as const) {
    cases.push(
      ...perTokenKind(`${alg} signed with the real key`, (options) => emulator.mintAccessToken({ ...options, alg })),
    );
  }
  cases.push(
    ...perTokenKind('header RS256, signed PS256', (options) =>
      emulator.mintAccessToken({ ...options, alg: 'PS256', header: { alg: 'RS256' } }),
    ),
  );
  for (const [name, secret] of publicKeyEncodings(publicKey)) {
    for (const [alg, hash] of HMAC_HASHES) {
      cases.push(
        ...perTokenKind(`${alg} keyed with the public key as ${name}`, (options) =>
          hmacSigned({ alg, kid, typ: 'JWT' }, payloadOf(emulator, options), secret, hash),
        ),
      );
    }
  }
  for (const [alg, bytes] of [
    ['ES256', 64],
    ['ES384', 96],
    ['ES512', 132],
  ] as const) {
    cases.push(
      ...perTokenKind(`${alg} all-zero signature`, (options) =>
        assembled({ alg, kid, typ: 'JWT' }, payloadOf(emulator, options), Buffer.alloc(bytes)),
      ),
    );
    cases.push(
      ...perTokenKind(`${alg} DER signature r = s = 0`, (options) =>
        assembled({ alg, kid, typ: 'JWT' }, payloadOf(emulator, options), Buffer.from('3006020100020100', 'hex')),
      ),
    );
  }
  return cases;
}

/**
 * A key set that serves the token's kid as `hostileJwk`. The genuine key stays published under
 * another kid, so the set as a whole is usable and a refusal is about this key alone.
 */
function keySetScenario(
  name: string,
  hostile: () => {
    jwk: Record<string, unknown>;
    sign: (emulator: EntraEmulator, options: MintOptions, kid: string) => string[];
  },
): Scenario {
  let built: ReturnType<typeof hostile> | undefined;
  let hostileKid = '';
  return {
    name: `key set: ${name}`,
    async prepare(emulator) {
      built = hostile();
      hostileKid = emulator.currentKid;
      await emulator.rotateSigningKey();
      emulator.removeSigningKey(hostileKid);
      emulator.publishRawKey({ ...built.jwk, kid: hostileKid });
    },
    cases({ emulator }) {
      return TOKEN_KINDS.flatMap(({ label, options }) =>
        built!
          .sign(emulator, options, hostileKid)
          .map((token, index) => bearerCase(`our kid served as ${name} #${index} (${label})`, token)),
      );
    },
  };
}

/** The genuine key stays published under its kid, and an impostor is published under the same kid. */
function duplicatedKidScenario(spare: TestKeyPair): Scenario {
  let kid = '';
  return {
    name: 'key set: a duplicated kid',
    async prepare(emulator) {
      kid = emulator.currentKid;
      await emulator.rotateSigningKey();
      emulator.publishRawKey({ ...publicJwk(spare.publicKey), kid, use: 'sig' });
    },
    cases: ({ emulator }) => [
      ...perTokenKind('duplicated kid, signed by the impostor', (options) =>
        emulator.mintAccessToken({ ...options, kid, signingKey: spare.privateKey }),
      ),
      ...perTokenKind('duplicated kid, signed by the genuine key', (options) =>
        emulator.mintAccessToken({ ...options, kid }),
      ),
    ],
  };
}

function publicJwk(key: KeyObject): Record<string, unknown> {
  return key.export({ format: 'jwk' }) as Record<string, unknown>;
}

function signedBy(privateKey: KeyObject) {
  return (emulator: EntraEmulator, options: MintOptions, kid: string) => [
    emulator.mintAccessToken({ ...options, kid, signingKey: privateKey }),
    emulator.mintAccessToken({ ...options, kid, signingKey: privateKey, lifetimeSeconds: 600 }),
  ];
}

export function algorithmAndKeyScenarios(random: Random, spare: TestKeyPair): Scenario[] {
  return [
    {
      name: 'algorithms',
      cases: (context) =>
        algorithmCases(context, createPublicKey(context.emulator.privateKeyFor(context.emulator.currentKid))),
    },
    keySetScenario('a 1024-bit key', () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      return { jwk: { ...publicJwk(weak.publicKey), use: 'sig' }, sign: signedBy(weak.privateKey) };
    }),
    keySetScenario('e=1 with a forged signature e=1 makes valid', () => {
      const jwk: Record<string, unknown> = { ...publicJwk(spare.publicKey), e: 'AQ', use: 'sig' };
      const modulusBytes = Buffer.from(jwk['n'] as string, 'base64url').length;
      return {
        jwk,
        sign: (emulator, options, kid) => {
          const { header, payload } = decodeToken(emulator.mintAccessToken({ ...options, kid }));
          const input = `${encodeJwtSegment(header)}.${encodeJwtSegment(payload)}`;
          const forged = exponentOneSignature(input, modulusBytes);
          // The case is live only if the forgery really verifies under the e=1 key (OpenSSL and jose accept it).
          const e1Key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
          if (!verify('sha256', Buffer.from(input), e1Key, forged)) throw new Error('the e=1 forgery does not verify');
          return [assembled(header, payload, forged)];
        },
      };
    }),
    keySetScenario('use enc', () => ({
      jwk: { ...publicJwk(spare.publicKey), use: 'enc' },
      sign: signedBy(spare.privateKey),
    })),
    keySetScenario('oct', () => {
      const secret = Buffer.from('attacker-chosen-hmac-secret-0123456789');
      return {
        jwk: { kty: 'oct', k: secret.toString('base64url'), use: 'sig' },
        sign: (emulator, options, kid) => [
          hmacSigned({ alg: 'HS256', kid, typ: 'JWT' }, payloadOf(emulator, options), secret),
          rsaSigned({ alg: 'RS256', kid, typ: 'JWT' }, payloadOf(emulator, options), spare.privateKey),
        ],
      };
    }),
    keySetScenario('a private key', () => ({
      jwk: { ...(spare.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), use: 'sig' },
      sign: signedBy(spare.privateKey),
    })),
    duplicatedKidScenario(spare),
    keySetScenario('a ROCA-vulnerable modulus', () => {
      const roca = generateRocaStructuredKey(random);
      return { jwk: { ...publicJwk(roca.publicKey), use: 'sig' }, sign: signedBy(roca.privateKey) };
    }),
  ];
}
