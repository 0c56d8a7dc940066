import { expect } from 'chai';
import {
  ClaimsChallengeException,
  InMemorySharedStore,
  InvalidTokenException,
  RevocationList,
  authErrorResponse,
  describeReason,
  loadSettings,
} from '../../../src';
import { ManualClock } from '../../../src/testing';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

const HOUR = 3600;

describe('RevocationList in one process: revoked sessions refused from the next request on (docs/design.md#revocation)', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(() => harness.close());

  const member = () => harness.emulator.users.member;
  const tenant = () => harness.emulator.tenants.primary.id;

  it("refuses the user's tokens issued before the revocation, a cached one too, with 401 invalid_token session_revoked", async () => {
    const seen = harness.emulator.mintAccessToken();
    const unseen = harness.emulator.mintAccessToken();
    await harness.provider.verifyToken(seen);
    harness.clock.advanceSeconds(30);
    await harness.revocations.revokeUser(tenant(), member().oid);
    const refusal = await expectRejection(harness.provider.verifyToken(seen), 'session_revoked');
    expect(refusal).to.be.instanceOf(InvalidTokenException);
    expect(authErrorResponse(refusal)).to.deep.include({
      status: 401,
      body: { error: 'invalid_token', error_description: describeReason('session_revoked'), reason: 'session_revoked' },
    });
    await expectRejection(harness.provider.verifyToken(unseen), 'session_revoked');
  });

  it('refuses a token issued within the second of the revocation, accepts one issued from the next second on', async () => {
    harness.clock.advance(400);
    const sameSecond = harness.emulator.mintAccessToken();
    const revocation = await harness.revocations.revokeUser(tenant(), member().oid);
    expect(revocation.notBefore).to.equal(Math.floor(harness.clock.now() / 1000) + 1);
    await expectRejection(harness.provider.verifyToken(sameSecond), 'session_revoked');
    harness.clock.advance(600);
    const verified = await harness.provider.verifyToken(harness.emulator.mintAccessToken());
    expect(verified.claims.oid).to.equal(member().oid);
  });

  it('leaves other users alone', async () => {
    const administrator = harness.emulator.mintAccessToken({ user: harness.emulator.users.administrator });
    await harness.revocations.revokeUser(tenant(), member().oid);
    expect((await harness.provider.verifyToken(administrator)).claims.oid).to.equal(
      harness.emulator.users.administrator.oid,
    );
  });

  it('revokes from a time in the past: tokens issued before it refused, after it accepted', async () => {
    const before = harness.emulator.mintAccessToken();
    const cutoff = new Date(harness.clock.now() + 5000);
    harness.clock.advanceSeconds(10);
    const after = harness.emulator.mintAccessToken();
    await harness.revocations.revokeUser(tenant().toUpperCase(), member().oid.toUpperCase(), cutoff);
    await expectRejection(harness.provider.verifyToken(before), 'session_revoked');
    expect((await harness.provider.verifyToken(after)).claims.oid).to.equal(member().oid);
  });

  it('refuses to revoke from a time in the future, or ids that are not GUIDs', async () => {
    let error: unknown;
    await harness.revocations.revokeUser(tenant(), member().oid, new Date(harness.clock.now() + 1000)).catch((e) => {
      error = e;
    });
    expect(error).to.be.instanceOf(RangeError);
    for (const [tenantId, userId] of [
      ['contoso.example', member().oid],
      [tenant(), 'megan@contoso.example'],
    ] as const) {
      error = undefined;
      await harness.revocations.revokeUser(tenantId, userId).catch((e) => {
        error = e;
      });
      expect(error, `${tenantId} ${userId}`).to.be.instanceOf(TypeError);
    }
  });

  it("revokes one token by its uti, leaving the user's other tokens valid", async () => {
    const revoked = harness.emulator.mintAccessToken();
    const other = harness.emulator.mintAccessToken();
    await harness.revocations.revokeToken((await harness.provider.verifyToken(revoked)).claims.uti as string);
    await expectRejection(harness.provider.verifyToken(revoked), 'session_revoked');
    expect((await harness.provider.verifyToken(other)).claims.oid).to.equal(member().oid);
  });

  it('answers a client that declared the CAE capability (xms_cc cp1, any case) with a claims challenge for a token from the revocation on', async () => {
    const token = harness.emulator.mintAccessToken({ clientCapabilities: ['CP1'] });
    harness.clock.advanceSeconds(30);
    const { notBefore } = await harness.revocations.revokeUser(tenant(), member().oid);
    const challenge = await expectRejection(harness.provider.verifyToken(token), 'session_revoked');
    expect(challenge).to.be.instanceOf(ClaimsChallengeException);
    const response = authErrorResponse(challenge);
    const claims = Buffer.from(
      JSON.stringify({ access_token: { nbf: { essential: true, value: String(notBefore) } } }),
    ).toString('base64');
    expect(response).to.deep.equal({
      status: 401,
      headers: {
        'Cache-Control': 'no-store',
        'WWW-Authenticate':
          `Bearer realm="${tenant()}", ` +
          `authorization_uri="${harness.emulator.baseUrl}/${tenant()}/oauth2/v2.0/authorize", ` +
          `error="insufficient_claims", error_description="${describeReason('session_revoked')}", claims="${claims}"`,
      },
      body: {
        error: 'insufficient_claims',
        error_description: describeReason('session_revoked'),
        reason: 'session_revoked',
      },
    });
  });

  it('answers invalid_token to a client whose capabilities do not include cp1', async () => {
    const token = harness.emulator.mintAccessToken({ clientCapabilities: ['cp2'] });
    await harness.revocations.revokeUser(tenant(), member().oid);
    expect(await expectRejection(harness.provider.verifyToken(token), 'session_revoked')).to.be.instanceOf(
      InvalidTokenException,
    );
  });

  it('keeps a revocation while a token issued before it can live (28 h, plus LEEWAY), then forgets it', async () => {
    const longLived = harness.emulator.mintAccessToken({ lifetimeSeconds: 28 * HOUR });
    await harness.revocations.revokeUser(tenant(), member().oid);
    harness.clock.advanceSeconds(28 * HOUR - 1);
    await expectRejection(harness.provider.verifyToken(longLived), 'session_revoked');
    harness.clock.advanceSeconds(harness.settings.leeway + 2);
    // Forgotten as revocations arrive: the next one drops it.
    await harness.revocations.revokeUser(tenant(), harness.emulator.users.administrator.oid);
    expect(harness.revocations.health().entries).to.equal(1);
    await expectRejection(harness.provider.verifyToken(longLived), 'token_expired');
  });
});

describe('RevocationList: a multi-tenant app challenges with the common authority', () => {
  it('names realm "" and the common authorize endpoint', async () => {
    const harness = await startHarness({
      tenantId: 'organizations',
      allowedTenants: ['03871dfd-7277-41de-895d-62c1a1a953ea'],
    });
    try {
      const token = harness.emulator.mintAccessToken({ clientCapabilities: ['cp1'] });
      await harness.revocations.revokeUser(harness.emulator.tenants.primary.id, harness.emulator.users.member.oid);
      const challenge = await expectRejection(harness.provider.verifyToken(token), 'session_revoked');
      expect(authErrorResponse(challenge).headers['WWW-Authenticate']).to.match(
        new RegExp(`^Bearer realm="", authorization_uri="${harness.emulator.baseUrl}/common/oauth2/v2.0/authorize", `),
      );
    } finally {
      await harness.close();
    }
  });
});

describe('RevocationList: what arrives through the store is checked, never trusted', () => {
  const TENANT = '03871dfd-7277-41de-895d-62c1a1a953ea';
  const USER = 'c451c118-4da4-47c3-9883-15bbef205e4b';
  const claimsIssuedAt = (iat: number) => ({ ver: '2.0' as const, tid: TENANT, oid: USER, iat, nbf: iat, uti: 'abc' });

  it('ignores messages that are not revocations, and revocations dated in the future', async () => {
    const clock = new ManualClock();
    const store = new InMemorySharedStore(clock);
    const list = new RevocationList(loadSettings({ tenantId: TENANT, audiences: [USER] }, {}), store, clock);
    const now = Math.floor(clock.now() / 1000);
    for (const message of [
      'garbage',
      `user:${TENANT}/${USER}`,
      `user:${TENANT}/${USER}:${now}:extra`,
      `user:not-a-guid/${USER}:${now}`,
      `token:${'x'.repeat(65)}:${now}`,
      `user:${TENANT}/${USER}:${now + 24 * HOUR}`,
    ]) {
      await store.publish('revocations', message);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(list.health().entries).to.equal(0);
    expect(() => list.assertNotRevoked(claimsIssuedAt(now - 10))).to.not.throw();

    await store.publish('revocations', `user:${TENANT.toUpperCase()}/${USER}:${now}`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => list.assertNotRevoked(claimsIssuedAt(now - 10))).to.throw(InvalidTokenException);
    list.close();
  });

  it('refuses a token with neither iat nor nbf: it cannot show it was issued after', async () => {
    const clock = new ManualClock();
    const list = new RevocationList(
      loadSettings({ tenantId: TENANT, audiences: [USER] }, {}),
      new InMemorySharedStore(clock),
      clock,
    );
    await list.revokeUser(TENANT, USER);
    expect(() => list.assertNotRevoked({ ver: '2.0', tid: TENANT, oid: USER })).to.throw(InvalidTokenException);
    list.close();
  });
});
