import { expect } from 'chai';
import { ACCEPTANCE_RULES, type AcceptanceRule, type EntraAuthError, type RuleTrace } from '../../../src';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

/** What a trace was told, in order. */
class RecordedTrace implements RuleTrace {
  readonly passes: AcceptanceRule[] = [];
  failure: { rule: AcceptanceRule; reason: string } | undefined;

  passed(rule: AcceptanceRule): void {
    this.passes.push(rule);
  }

  failed(rule: AcceptanceRule, refusal: EntraAuthError): void {
    this.failure = { rule, reason: refusal.reason };
  }
}

const ORDER = ACCEPTANCE_RULES.map((rule) => rule.name);

describe('Rule trace: verifyToken(token, trace) reports each rule as the validator decides it', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('reports every rule passed, in the contract order, for an accepted token', async () => {
    const trace = new RecordedTrace();
    await harness.provider.verifyToken(harness.emulator.mintAccessToken(), trace);
    expect(trace.passes).to.deep.equal(ORDER);
    expect(trace.failure).to.equal(undefined);
    expect(ACCEPTANCE_RULES.map((rule) => rule.number)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, undefined]);
  });

  it('changes no outcome when the trace itself throws: a valid token is accepted, a bad one refused with its reason', async () => {
    const throwing: RuleTrace = {
      passed: () => {
        throw new Error('trace broke');
      },
      failed: () => {
        throw new Error('trace broke');
      },
    };
    expect((await harness.provider.verifyToken(harness.emulator.mintAccessToken(), throwing)).claims.ver).to.equal(
      '2.0',
    );
    await expectRejection(harness.provider.verifyToken('not-a-token', throwing), 'token_malformed');
  });

  const refusals: ReadonlyArray<[string, () => string, AcceptanceRule, string]> = [
    ['a token that is not a compact JWS', () => 'not-a-token', 'request', 'token_malformed'],
    [
      'a header without kid',
      () => harness.emulator.mintAccessToken({ header: { kid: undefined } }),
      'header',
      'kid_invalid',
    ],
    ['an unknown kid', () => harness.emulator.mintAccessToken({ kid: 'unknown-kid' }), 'signing_key', 'key_not_found'],
    [
      'a signature of another token',
      () => {
        const [header, payload] = harness.emulator.mintAccessToken().split('.');
        return `${header}.${payload}.${harness.emulator.mintAccessToken({ scopes: ['x'] }).split('.')[2]}`;
      },
      'signature',
      'signature_invalid',
    ],
    ['an expired token', () => harness.emulator.mintAccessToken({ lifetimeSeconds: -3600 }), 'time', 'token_expired'],
    ['ver 3.0', () => harness.emulator.mintAccessToken({ claims: { ver: '3.0' } }), 'version', 'version_invalid'],
    [
      'another tenant',
      () => harness.emulator.mintAccessToken({ tenantId: harness.emulator.tenants.secondary.id }),
      'issuer',
      'issuer_invalid',
    ],
    [
      'another audience',
      () => harness.emulator.mintAccessToken({ audience: 'api://other' }),
      'audience',
      'audience_invalid',
    ],
    [
      'an ID token',
      () => harness.emulator.mintAccessToken({ scopes: [], claims: { nonce: 'n' } }),
      'token_kind',
      'not_an_access_token',
    ],
    [
      'an oid that is not a GUID',
      () => harness.emulator.mintAccessToken({ claims: { oid: 'x' } }),
      'claim_shapes',
      'token_malformed',
    ],
  ];

  for (const [what, mint, rule, reason] of refusals) {
    it(`reports the rules before ${rule} passed and ${rule} failed (${reason}) for ${what}`, async () => {
      const trace = new RecordedTrace();
      await expectRejection(harness.provider.verifyToken(mint(), trace), reason as never);
      expect(trace.passes).to.deep.equal(ORDER.slice(0, ORDER.indexOf(rule)));
      expect(trace.failure).to.deep.equal({ rule, reason });
    });
  }

  it('verifies a traced token in full even when the verified-token cache holds it', async () => {
    const token = harness.emulator.mintAccessToken();
    await harness.provider.verifyToken(token);
    const trace = new RecordedTrace();
    await harness.provider.verifyToken(token, trace);
    expect(trace.passes).to.deep.equal(ORDER);
  });
});
