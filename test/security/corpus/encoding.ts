// Encoding: segment counts, signatures stripped or bit-flipped, payloads that are not claim sets,
// non-canonical base64url, stray characters, and tokens too large to read.
import { sign } from 'node:crypto';
import { encodeJwtSegment } from '../../../src/testing';
import { decodeToken } from '../support/token-forge';
import { bearerCase, perTokenKind, type CorpusContext, type HostileCase, type Scenario } from './hostile-case';

/** Characters that are not base64url, as Node sends them (latin1): `€` goes as its UTF-8 bytes. */
const STRAY_CHARACTERS = [
  '=',
  '==',
  ' ',
  '\t',
  '+',
  '/',
  '%',
  '%3D',
  '.',
  '\u00e9',
  '\u00ff',
  Buffer.from('\u20ac').toString('latin1'),
];
const STRAY_POSITIONS_PER_SEGMENT = 75;

function signedRaw(context: CorpusContext, payloadBytes: Buffer, header?: Record<string, unknown>): string {
  const { emulator } = context;
  const input = `${encodeJwtSegment(header ?? { typ: 'JWT', alg: 'RS256', kid: emulator.currentKid })}.${payloadBytes.toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), emulator.privateKeyFor(emulator.currentKid)).toString('base64url')}`;
}

function encodingCases(context: CorpusContext): HostileCase[] {
  const { emulator, random } = context;
  const valid = emulator.mintAccessToken();
  const [h, p, s] = valid.split('.') as [string, string, string];
  const claims = decodeToken(valid).payload;
  const cases: HostileCase[] = [];
  const shapes: Array<[string, string]> = [
    ['2 segments', `${h}.${p}`],
    ['4 segments', `${h}.${p}.${s}.${s}`],
    ['5 segments (JWE shape)', `${h}.${p}.${s}.${p}.${s}`],
    ['4 segments with an empty last', `${h}.${p}.${s}.`],
    ['stripped signature', `${h}.${p}.`],
    ['signature only', `..${s}`],
    ['empty header', `.${p}.${s}`],
    ['empty payload', `${h}..${s}`],
    ['one segment', p],
    ['dots only', '..'],
    ['leading dot', `.${h}.${p}.${s}`],
  ];
  for (const [name, token] of shapes) cases.push(bearerCase(name, token));

  const payloads: Array<[string, Buffer]> = [
    ['nested JWT as payload', Buffer.from(valid)],
    ['nested JWT as a JSON string', Buffer.from(JSON.stringify(valid))],
    ['nested JWT in a member', Buffer.from(JSON.stringify({ token: valid }))],
    ['array payload', Buffer.from(JSON.stringify([claims]))],
    ['string payload', Buffer.from('"claims"')],
    ['null payload', Buffer.from('null')],
    ['number payload', Buffer.from('42')],
    ['true payload', Buffer.from('true')],
    ['empty object payload', Buffer.from('{}')],
    ['invalid UTF-8 (ff fe)', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
    [
      'invalid UTF-8 (overlong slash)',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
    ],
    [
      'invalid UTF-8 (lone surrogate)',
      Buffer.concat([
        Buffer.from(JSON.stringify(claims).slice(0, -1) + ',"x":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
    ],
    [
      'UTF-8 BOM before the claims',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(claims))]),
    ],
    ['claims followed by garbage', Buffer.from(`${JSON.stringify(claims)}garbage`)],
    ['two claim sets', Buffer.from(`${JSON.stringify(claims)}${JSON.stringify(claims)}`)],
    ['claims with a duplicated aud', Buffer.from(`${JSON.stringify(claims).slice(0, -1)},"aud":"attacker"}`)],
    ['claims with a duplicated exp', Buffer.from(`${JSON.stringify(claims).slice(0, -1)},"exp":99999999999}`)],
    ['truncated JSON', Buffer.from(JSON.stringify(claims).slice(0, -1))],
  ];
  for (const [name, bytes] of payloads)
    cases.push(bearerCase(`${name}, signed by the real key`, signedRaw(context, bytes)));
  cases.push(
    bearerCase(
      'duplicated alg in the header',
      (() => {
        const header = Buffer.from(`{"alg":"none","kid":"${emulator.currentKid}","alg":"RS256"}`).toString('base64url');
        const input = `${header}.${p}`;
        return `${input}.${sign('sha256', Buffer.from(input), emulator.privateKeyFor(emulator.currentKid)).toString('base64url')}`;
      })(),
    ),
  );

  // Padding, whitespace and characters outside base64url, in every segment, at seeded positions.
  const segments = [h, p, s];
  for (let index = 0; index < 3; index++) {
    for (const stray of STRAY_CHARACTERS) {
      for (let n = 0; n < STRAY_POSITIONS_PER_SEGMENT; n++) {
        const segment = segments[index]!;
        // Inside the token only: whitespace before or after it is HTTP's optional whitespace, not the token's.
        const edge = index === 2 ? 0 : segment.length;
        const at = n === 0 ? edge : random.int(1, segment.length);
        const altered = [...segments];
        altered[index] = segment.slice(0, at) + stray + segment.slice(at);
        cases.push(bearerCase(`${JSON.stringify(stray)} in segment ${index + 1} at ${at}`, altered.join('.')));
      }
    }
  }
  // Non-canonical base64url that Node's decoder would silently accept: stray low bits in the last character.
  cases.push(
    ...perTokenKind('non-canonical last character of the signature', (options) => {
      const token = emulator.mintAccessToken(options);
      const last = token.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]!;
    }),
  );

  // Every single-bit flip of a valid signature.
  const signature = Buffer.from(s, 'base64url');
  for (let bit = 0; bit < signature.length * 8; bit++) {
    const flipped = Buffer.from(signature);
    flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
    cases.push(bearerCase(`signature bit ${bit} flipped`, `${h}.${p}.${flipped.toString('base64url')}`));
  }

  // Over Node's own 16 KiB header limit: Node answers 431 before the library sees anything.
  for (const size of [16_385, 20_000, 65_536]) {
    const padded = emulator.mintAccessToken({ claims: { padding: 'x'.repeat(size) } });
    cases.push(bearerCase(`${padded.length}-byte token`, padded, { expectedStatus: 431 }));
  }
  return cases;
}

function tooLargeCases({ emulator }: CorpusContext): HostileCase[] {
  // Validly signed, but above MAX_TOKEN_BYTES (4096 here) and below Node's limit: the library refuses.
  return [4_097, 6_000, 8_000, 10_000].flatMap((size) =>
    perTokenKind(`validly signed ${size}-character claim over MAX_TOKEN_BYTES`, (options) =>
      emulator.mintAccessToken({ ...options, claims: { padding: 'x'.repeat(size) } }),
    ),
  );
}

export const encodingScenarios: Scenario[] = [
  { name: 'encoding', cases: encodingCases },
  { name: 'encoding: MAX_TOKEN_BYTES 4096', settings: { maxTokenBytes: 4096 }, cases: tooLargeCases },
];
