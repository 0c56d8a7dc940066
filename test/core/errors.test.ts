import { expect } from 'chai';
import {
  AuthorizationException,
  EntraAuthError,
  InvalidTokenException,
  MissingTokenException,
  TemporarilyUnavailableException,
  describeReason,
  type ReasonCode,
} from '../../src';
import { startHarness, type Harness } from '../support/harness';
import { Random } from '../support/random';

const TOKEN_REASONS = [
  'token_malformed',
  'token_too_large',
  'alg_not_allowed',
  'kid_invalid',
  'key_not_found',
  'signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'iat_in_future',
  'version_invalid',
  'issuer_invalid',
  'tenant_invalid',
  'tenant_not_allowed',
  'key_issuer_mismatch',
  'audience_invalid',
  'not_an_access_token',
] as const;
const AUTHORIZATION_REASONS = [
  'insufficient_groups',
  'insufficient_roles',
  'insufficient_scope',
  'groups_overage',
] as const;

describe('Rejections: every refusal carries a stable reason code and a fixed description', () => {
  it('gives each reason code a fixed sentence without quotes or backslashes (it goes into WWW-Authenticate)', () => {
    const all: ReasonCode[] = [...TOKEN_REASONS, ...AUTHORIZATION_REASONS, 'token_missing', 'keys_unavailable'];
    const sentences = all.map(describeReason);
    expect(new Set(sentences).size).to.equal(all.length);
    for (const sentence of sentences) expect(sentence).to.match(/^[A-Z][^"\\\r\n]*\.$/);
  });

  it('maps each kind of refusal to its status and RFC 6750 error', () => {
    const invalid = new InvalidTokenException('token_expired');
    expect([invalid.status, invalid.error, invalid.reason, invalid.message]).to.deep.equal([
      401,
      'invalid_token',
      'token_expired',
      describeReason('token_expired'),
    ]);
    const missing = new MissingTokenException();
    expect([missing.status, missing.error, missing.reason]).to.deep.equal([401, 'unauthorized', 'token_missing']);
    const forbidden = new AuthorizationException('groups_overage');
    expect([forbidden.status, forbidden.error]).to.deep.equal([403, 'forbidden']);
    const scope = new AuthorizationException('insufficient_scope');
    expect([scope.status, scope.error]).to.deep.equal([403, 'insufficient_scope']);
    const unavailable = new TemporarilyUnavailableException('keys_unavailable', 7);
    expect([unavailable.status, unavailable.error, unavailable.retryAfterSeconds]).to.deep.equal([
      503,
      'temporarily_unavailable',
      7,
    ]);
  });

  describe('no token input escapes as anything but a library error', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness();
    });
    after(() => harness.close());

    it('refuses 3,000 seeded random mutations of a valid token with a reason code, never another error', async () => {
      const random = new Random(0x5eed);
      const valid = harness.emulator.mintAccessToken();
      await harness.provider.verifyToken(valid);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\u00e9\u0000\n';
      const reasons = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const chars = [...valid];
        const edits = 1 + Math.floor(random.next() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(random.next() * chars.length);
          const op = random.next();
          const char = alphabet[Math.floor(random.next() * alphabet.length)]!;
          if (op < 0.4) chars[at] = char;
          else if (op < 0.7) chars.splice(at, 1);
          else chars.splice(at, 0, char);
        }
        const mutated = chars.join('');
        if (mutated === valid) continue;
        try {
          await harness.provider.verifyToken(mutated);
          expect.fail(`accepted a mutated token (#${i})`);
        } catch (error) {
          expect(error, `mutation #${i}`).to.be.instanceOf(EntraAuthError);
          const reason = (error as EntraAuthError).reason;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
      expect(reasons.get('token_malformed')).to.be.above(0);
      expect(reasons.get('signature_invalid')).to.be.above(0);
    });
  });
});
