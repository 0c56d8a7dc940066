import { expect } from 'chai';
import type { EntraIdClaims, ReasonCode } from '../../../src';
import { CLAIM_SHAPES, type ClaimShape } from '../../../src/core/token/claims';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

/** Values of another shape than the one named. */
const WRONG: Record<ClaimShape, readonly unknown[]> = {
  string: [42, null, {}],
  strings: ['x', [1], [['x']]],
  number: ['1', null, true],
  boolean: ['true', 1],
  'string map': [{ groups: 1 }, ['src1'], 'src1'],
  'object map': [{ src1: 'https://graph.example' }, 'x'],
};

/** Claims an earlier rule judges first, with that rule's reason; every other claim is token_malformed. */
const JUDGED_EARLIER: Partial<Record<string, ReasonCode>> = {
  tid: 'tenant_invalid',
  iss: 'issuer_invalid',
  aud: 'audience_invalid',
  ver: 'version_invalid',
  azp: 'not_an_access_token',
  scp: 'not_an_access_token',
};

/** A value of every documented claim, as Entra sends them. */
const WELL_SHAPED = {
  hasgroups: true,
  _claim_names: { groups: 'src1' },
  _claim_sources: { src1: { endpoint: 'https://graph.windows.net/t/users/u/getMemberObjects' } },
  wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'],
  azpacr: '1',
  appidacr: '1',
  idtyp: 'user',
  email: 'megan@contoso.example',
  upn: 'megan@contoso.example',
  unique_name: 'megan@contoso.example',
  given_name: 'Megan',
  family_name: 'Bowen',
  acct: 0,
  idp: 'https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/',
  acr: '1',
  amr: ['pwd', 'mfa'],
  acrs: ['c1'],
  xms_cc: ['cp1'],
  auth_time: 1_700_000_000,
  sid: '0a1b2c3d-0000-4000-8000-000000000000',
  aio: 'opaque',
  rh: 'opaque',
  ipaddr: '203.0.113.7',
  onprem_sid: 'S-1-5-21-0-0-0-1001',
  login_hint: 'opaque',
  ctry: 'US',
  tenant_ctry: 'US',
  tenant_region_scope: 'NA',
  xms_tcdt: 1_600_000_000,
};

describe('Claim shapes: every claim EntraIdClaims types has that type in a verified token, or the token is refused', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('refuses a documented claim of another type (token_malformed, or the reason of the rule that judges it first)', async () => {
    const { emulator, provider } = harness;
    let tried = 0;
    for (const [name, shape] of Object.entries(CLAIM_SHAPES)) {
      for (const value of WRONG[shape]) {
        const token = emulator.mintAccessToken({ claims: { [name]: value } });
        const refusal = await expectRejection(provider.verifyToken(token), JUDGED_EARLIER[name] ?? 'token_malformed');
        expect(refusal.status, `${name}: ${JSON.stringify(value)}`).to.equal(401);
        tried++;
      }
    }
    expect(tried).to.be.at.least(Object.keys(CLAIM_SHAPES).length * 2);
  });

  it('accepts every documented claim in its documented type, and hands them over typed', async () => {
    const { emulator, provider } = harness;
    const { claims } = await provider.verifyToken(emulator.mintAccessToken({ claims: WELL_SHAPED }));
    // Typed reads, without casts: these lines do not compile if EntraIdClaims loses the types.
    const typed: {
      oid: string;
      tid: string;
      ver: '1.0' | '2.0';
      acct: number | undefined;
      acrs: readonly string[] | undefined;
      xms_cc: readonly string[] | undefined;
      groupsSource: string | undefined;
    } = {
      oid: claims.oid,
      tid: claims.tid,
      ver: claims.ver,
      acct: claims.acct,
      acrs: claims.acrs,
      xms_cc: claims.xms_cc,
      groupsSource: claims._claim_names?.['groups'],
    };
    expect(typed).to.deep.equal({
      oid: emulator.users.member.oid,
      tid: emulator.tenants.primary.id,
      ver: '2.0',
      acct: 0,
      acrs: ['c1'],
      xms_cc: ['cp1'],
      groupsSource: 'src1',
    });
    const undocumented: unknown = (claims as EntraIdClaims)['xms_undocumented'];
    expect(undocumented).to.equal(undefined);
  });

  it('types exactly the claims the shape table checks (the table is the run-time side of the type)', () => {
    expect(Object.keys(CLAIM_SHAPES)).to.include.members([
      'oid',
      'tid',
      'scp',
      'roles',
      'groups',
      'azp',
      'appid',
      'idtyp',
      'ver',
      'iss',
      'aud',
      'exp',
      'nbf',
      'iat',
      'name',
      'preferred_username',
      'email',
      'upn',
      'unique_name',
      'acct',
      'idp',
      'xms_cc',
      'acrs',
      'uti',
      'sid',
      '_claim_names',
      'hasgroups',
    ]);
  });
});
