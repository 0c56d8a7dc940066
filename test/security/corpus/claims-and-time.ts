// Claims and time: lifetimes that are missing, mistyped, infinite or out of range, and claims named
// after Object.prototype's members.
import { signJwt } from '../../../src/testing';
import { decodeToken, withRawMember } from '../support/token-forge';
import { ADMIN_PATH, perTokenKind, type CorpusContext, type HostileCase, type Scenario } from './hostile-case';

const SKEW = 300;

function claimsAndTimeCases({ emulator }: CorpusContext): HostileCase[] {
  const now = Math.floor(emulator.clock.now() / 1000);
  const signRaw = (options: object, member: string, rawValue: string) => {
    const { header, payload } = decodeToken(emulator.mintAccessToken(options));
    return signJwt(header, withRawMember(payload, member, rawValue), emulator.privateKeyFor(emulator.currentKid));
  };
  const cases: HostileCase[] = [];
  const lifetimes: Array<[string, Record<string, unknown>]> = [
    ['exp missing', { exp: undefined }],
    ['exp a string', { exp: String(now + 3600) }],
    ['exp null', { exp: null }],
    ['exp true', { exp: true }],
    ['exp an array', { exp: [now + 3600] }],
    ['exp an object', { exp: { value: now + 3600 } }],
    ['exp 1e300', { exp: 1e300 }],
    ['exp past year 9999', { exp: 253402300800 }],
    ['exp Number.MAX_VALUE', { exp: Number.MAX_VALUE }],
    ['exp past by skew + 1 s', { exp: now - SKEW - 1 }],
    ['exp exactly now - skew', { exp: now - SKEW }],
    ['exp 0', { exp: 0 }],
    ['exp negative', { exp: -1 }],
    ['exp in milliseconds', { exp: (now + 3600) * 1000 }],
    ['nbf in the future beyond skew', { nbf: now + SKEW + 1 }],
    ['nbf a string', { nbf: String(now) }],
    ['nbf null', { nbf: null }],
    ['iat in the future beyond skew', { iat: now + SKEW + 1 }],
    ['iat a string', { iat: String(now) }],
    ['iat 1e300', { iat: 1e300 }],
    ['nbf after exp', { nbf: now + 200, exp: now + 100 }],
    ['exp and nbf far in the future', { nbf: now + 86_400, exp: now + 90_000 }],
  ];
  for (const [name, claims] of lifetimes)
    cases.push(...perTokenKind(name, (options) => emulator.mintAccessToken({ ...options, claims })));
  for (const raw of ['1e400', '-1e400', '1E999', '123456789012345678901234567890', '1.7976931348623157e309']) {
    cases.push(...perTokenKind(`exp ${raw} in the JSON text`, (options) => signRaw(options, 'exp', raw)));
  }
  cases.push(
    ...perTokenKind('nbf -1e400 with exp 1e400 in the JSON text', (options) => {
      const { header, payload } = decodeToken(emulator.mintAccessToken(options));
      const text = Buffer.from(withRawMember(payload, 'exp', '1e400'))
        .toString()
        .replace(/"nbf":\d+/, '"nbf":-1e400');
      return signJwt(header, Buffer.from(text), emulator.privateKeyFor(emulator.currentKid));
    }),
  );

  // Valid tokens whose claims are named after prototype members: verified, but they must grant
  // nothing (403 on a route needing an app role) and pollute nothing.
  const pollutions: Array<[string, string]> = [
    ['__proto__ granting roles', `{"roles":["Battery.Admin"],"isAdmin":true,"polluted":"yes"}`],
    ['constructor.prototype granting roles', `{"prototype":{"roles":["Battery.Admin"],"polluted":"yes"}}`],
  ];
  for (const [name, raw] of pollutions) {
    const member = name.split(' ')[0]!.split('.')[0]!;
    cases.push(
      ...perTokenKind(
        `${name} (top level)`,
        (options) => signRaw({ ...options, roles: ['Battery.Reader'] }, member, raw),
        { path: ADMIN_PATH, expectedStatus: 403 },
      ),
    );
  }
  // `_claim_names` maps claim names to source names (strings): one holding an object is refused as
  // malformed (docs/design.md#claim-shapes) before anything reads it.
  cases.push(
    ...perTokenKind(
      '__proto__ inside _claim_names and roles',
      (options) => {
        const { header, payload } = decodeToken(emulator.mintAccessToken({ ...options, roles: ['Battery.Reader'] }));
        const text = JSON.stringify({ ...payload, _claim_names: '@@A@@' }).replace(
          '"@@A@@"',
          '{"__proto__":{"groups":"src1"}}',
        );
        return signJwt(header, Buffer.from(text), emulator.privateKeyFor(emulator.currentKid));
      },
      { path: ADMIN_PATH, expectedStatus: 401 },
    ),
  );
  return cases;
}

export const claimsAndTimeScenarios: Scenario[] = [{ name: 'claims and time', cases: claimsAndTimeCases }];
