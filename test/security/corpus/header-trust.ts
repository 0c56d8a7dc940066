// Header trust: the token must never name the key that vouches for it, nor smuggle anything
// through kid, crit or b64.
import { encodeJwtSegment } from '../../../src/testing';
import { decodeToken, rsaSigned } from '../support/token-forge';
import { perTokenKind, type CorpusContext, type HostileCase, type Scenario } from './hostile-case';

const HOSTILE_KIDS: unknown[] = [
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '/dev/zero',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'file:///etc/passwd',
  "' OR '1'='1",
  "x'; DROP TABLE keys;--",
  '1 UNION SELECT key FROM keys',
  '$(curl http://127.0.0.1:9/)',
  '`id`',
  '| nc 127.0.0.1 9',
  '; rm -rf /',
  'a'.repeat(8_000),
  'k'.repeat(257),
  42,
  0,
  -1,
  1e400,
  { kid: 'x' },
  ['x'],
  null,
  true,
  '',
  ' ',
  'abc\r\nX-Injected: 1',
  'abc\nlevel=error msg=forged',
  '\u001b[31mred\u001b[0m',
  '\u0000',
  'kid\u0000suffix',
  '\u202eevil',
  'ｋｉｄ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];
const CRIT_FORMS: unknown[] = [
  ['b64'],
  ['exp'],
  [],
  'b64',
  null,
  ['unknown-extension'],
  ['kid'],
  [''],
  [1],
  { b64: true },
  ['crit'],
];

function forgedWithHeader(context: CorpusContext, extra: Record<string, unknown>, kid: unknown) {
  const { emulator, attacker } = context;
  return (options: object) => {
    const { payload } = decodeToken(emulator.mintAccessToken(options));
    return rsaSigned(
      { alg: 'RS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }), ...extra },
      payload,
      attacker.privateKey,
    );
  };
}

function headerTrustCases(context: CorpusContext): HostileCase[] {
  const { emulator, attacker } = context;
  const ourKid = emulator.currentKid;
  const x5c = [attacker.certificateDer.toString('base64')];
  const offers: Array<[string, Record<string, unknown>]> = [
    ['embedded jwk', { jwk: attacker.publicJwk }],
    ['embedded jwk without kid member', { jwk: { ...attacker.publicJwk, kid: undefined } }],
    ['jku to the attacker', { jku: `${attacker.url}/jwks.json` }],
    [
      'jku to the attacker with our issuer path',
      { jku: `${attacker.url}/${emulator.tenants.primary.id}/discovery/v2.0/keys` },
    ],
    ['x5u to the attacker', { x5u: `${attacker.url}/cert.pem` }],
    ['x5c with the attacker certificate', { x5c }],
    [
      'jwk, jku, x5u and x5c together',
      { jwk: attacker.publicJwk, jku: `${attacker.url}/jwks.json`, x5u: `${attacker.url}/cert.pem`, x5c },
    ],
  ];
  const cases: HostileCase[] = [];
  for (const [name, extra] of offers) {
    for (const [kidLabel, kid] of [
      ['attacker kid', 'attacker'],
      ['our kid', ourKid],
      ['no kid', undefined],
    ] as const) {
      cases.push(
        ...perTokenKind(`${name}, ${kidLabel}, signed by the attacker`, forgedWithHeader(context, extra, kid)),
      );
    }
  }
  for (const kid of HOSTILE_KIDS) {
    // Signed for real: only the kid is hostile.
    cases.push(
      ...perTokenKind(`kid ${JSON.stringify(kid).slice(0, 40)}`, (options) =>
        emulator.mintAccessToken({ ...options, header: { kid } }),
      ),
    );
  }
  // 100 KB of kid is over Node's own header limit: refused (431) before the library reads anything.
  cases.push(
    ...perTokenKind(
      'kid of 100 KB',
      (options) => emulator.mintAccessToken({ ...options, header: { kid: 'k'.repeat(100_000) } }),
      { expectedStatus: 431 },
    ),
  );
  cases.push(
    ...perTokenKind('kid missing', (options) => emulator.mintAccessToken({ ...options, header: { kid: undefined } })),
  );
  cases.push(
    ...perTokenKind('kid of our key with a trailing space', (options) =>
      emulator.mintAccessToken({ ...options, header: { kid: `${ourKid} ` } }),
    ),
  );
  for (const crit of CRIT_FORMS) {
    cases.push(
      ...perTokenKind(`crit ${JSON.stringify(crit)}`, (options) =>
        emulator.mintAccessToken({ ...options, header: { crit } }),
      ),
    );
  }
  for (const b64 of [false, true, 'false', 0]) {
    cases.push(
      ...perTokenKind(`b64 ${JSON.stringify(b64)} without crit`, (options) =>
        emulator.mintAccessToken({ ...options, header: { b64 } }),
      ),
    );
    cases.push(
      ...perTokenKind(`b64 ${JSON.stringify(b64)} with crit`, (options) =>
        emulator.mintAccessToken({ ...options, header: { b64, crit: ['b64'] } }),
      ),
    );
  }
  // RFC 7797's unencoded payload, signed over the raw JSON as a b64-aware verifier would check it.
  cases.push(
    ...perTokenKind('b64 false with an unencoded payload', (options) => {
      const { header, payload } = decodeToken(emulator.mintAccessToken(options));
      const protectedHeader = encodeJwtSegment({ ...header, b64: false, crit: ['b64'] });
      const signed = rsaSigned({ ...header, b64: false, crit: ['b64'] }, payload, emulator.privateKeyFor(ourKid));
      return `${protectedHeader}..${signed.split('.')[2]}`;
    }),
  );
  return cases;
}

export const headerTrustScenarios: Scenario[] = [{ name: 'header trust', cases: headerTrustCases }];
