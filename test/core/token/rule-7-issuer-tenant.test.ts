import type { KeyObject } from 'node:crypto';
import { expect } from 'chai';
import type { EntraIdProvider, JwksCache } from '../../../src';
import { EntraEmulator, ManualClock, getTestKeyPair, signJwt } from '../../../src/testing';
import { createProvider, expectRejection } from '../../support/harness';

describe('Rule 7: issuer and tenant (tid a GUID; iss from the metadata of the token version; tenant, allow-list and key issuer bound to it)', () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;
  let primary: string;
  let secondary: string;
  const caches: JwksCache[] = [];

  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock });
    primary = emulator.tenants.primary.id;
    secondary = emulator.tenants.secondary.id;
  });
  afterEach(() => {
    for (const cache of caches.splice(0)) cache.close();
    emulator.clearRawKeys();
  });
  after(() => emulator.close());

  function providerFor(overrides: Parameters<typeof createProvider>[2]): EntraIdProvider {
    const { provider, cache } = createProvider(emulator, clock, overrides);
    caches.push(cache);
    return provider;
  }

  const tokenFor = (tenantId: string, version: '1.0' | '2.0' = '2.0', claims: Record<string, unknown> = {}) =>
    emulator.mintAccessToken({ tenantId, version, claims });

  describe('tid', () => {
    it('accepts a GUID tid, compared case-insensitively with the configured tenant', async () => {
      const provider = providerFor({ tenantId: primary.toUpperCase() });
      expect((await provider.verifyToken(tokenFor(primary))).claims.tid).to.equal(primary);
    });

    it('refuses a tid that is missing or not a GUID', async () => {
      const provider = providerFor({});
      for (const tid of [undefined, 'contoso.example', `${primary}x`, 42, null, [primary]]) {
        await expectRejection(provider.verifyToken(tokenFor(primary, '2.0', { tid })), 'tenant_invalid');
      }
    });

    it('refuses a payload naming tid twice, in any casing', async () => {
      const provider = providerFor({});
      const json = Buffer.from(tokenFor(primary).split('.')[1]!, 'base64url').toString();
      const key = emulator.privateKeyFor(emulator.currentKid);
      for (const extra of [`"TID":"${secondary}"`, `"Tid":"${primary}"`, `"tid":"${primary}"`]) {
        const token = signJwt(
          { alg: 'RS256', kid: emulator.currentKid },
          Buffer.from(`${json.slice(0, -1)},${extra}}`),
          key,
        );
        await expectRejection(provider.verifyToken(token), 'tenant_invalid');
      }
    });
  });

  describe('single tenant', () => {
    it('accepts its own tenant, configured by GUID or by verified domain, for v1 and v2', async () => {
      for (const tenantId of [primary, emulator.tenants.primary.domain]) {
        const provider = providerFor({ tenantId });
        await provider.verifyToken(tokenFor(primary, '2.0'));
        await provider.verifyToken(tokenFor(primary, '1.0'));
      }
    });

    it('refuses a token of another tenant', async () => {
      const byGuid = providerFor({ tenantId: primary });
      const byDomain = providerFor({ tenantId: emulator.tenants.primary.domain });
      await expectRejection(byGuid.verifyToken(tokenFor(secondary)), 'issuer_invalid');
      await expectRejection(byDomain.verifyToken(tokenFor(secondary, '1.0')), 'issuer_invalid');
    });

    it('refuses the right issuer with another tid, and an issuer differing by case or slash', async () => {
      const provider = providerFor({});
      await expectRejection(provider.verifyToken(tokenFor(primary, '2.0', { tid: secondary })), 'tenant_invalid');
      const issuer = emulator.issuer('2.0', primary);
      for (const iss of [
        issuer.toUpperCase(),
        `${issuer}/`,
        issuer.replace('/v2.0', '/v2.0/'),
        issuer.replace('127.0.0.1', 'localhost'),
        undefined,
        7,
      ]) {
        await expectRejection(provider.verifyToken(tokenFor(primary, '2.0', { iss })), 'issuer_invalid');
      }
    });

    it('with ENTRA_ISSUER, also requires iss to equal it (narrows, never widens)', async () => {
      const provider = providerFor({ issuer: emulator.issuer('2.0', primary) });
      await provider.verifyToken(tokenFor(primary, '2.0'));
      await expectRejection(provider.verifyToken(tokenFor(primary, '1.0')), 'issuer_invalid');
    });
  });

  describe('multi-tenant', () => {
    it('accepts any tenant through common and organizations, v1 and v2, with iss built from the template and tid', async () => {
      for (const tenantId of ['common', 'organizations']) {
        const provider = providerFor({ tenantId, validateTenant: false });
        for (const tid of [primary, secondary]) {
          for (const version of ['1.0', '2.0'] as const) {
            const verified = await provider.verifyToken(tokenFor(tid, version));
            expect(verified.claims.iss).to.equal(emulator.issuer(version, tid));
          }
        }
      }
    });

    it('refuses the issuer of tenant A with the tid of tenant B', async () => {
      const provider = providerFor({ tenantId: 'common', validateTenant: false });
      await expectRejection(provider.verifyToken(tokenFor(primary, '2.0', { tid: secondary })), 'issuer_invalid');
      await expectRejection(provider.verifyToken(tokenFor(primary, '1.0', { tid: secondary })), 'issuer_invalid');
    });

    it('accepts "any tenant" stated explicitly with ENTRA_VALIDATE_TENANT=false, still binding iss to tid', async () => {
      const provider = providerFor({ tenantId: 'common', validateTenant: false });
      await provider.verifyToken(tokenFor(secondary));
      await expectRejection(provider.verifyToken(tokenFor(primary, '2.0', { tid: secondary })), 'issuer_invalid');
    });

    it('with ALLOWED_TENANTS, accepts listed tenants only', async () => {
      const provider = providerFor({ tenantId: 'organizations', allowedTenants: [primary.toUpperCase()] });
      await provider.verifyToken(tokenFor(primary));
      await expectRejection(provider.verifyToken(tokenFor(secondary)), 'tenant_not_allowed');
      await expectRejection(provider.verifyToken(tokenFor(secondary, '1.0')), 'tenant_not_allowed');
    });
  });

  describe('key issuer', () => {
    let spare: { privateKey: KeyObject; publicKey: KeyObject };
    before(async () => {
      spare = await getTestKeyPair(6);
    });

    function publishSpareKey(issuer: string): void {
      emulator.publishRawKey({ ...(spare.publicKey.export({ format: 'jwk' }) as object), kid: 'tenant-bound', issuer });
    }
    const signedBySpare = (tenantId: string, version: '1.0' | '2.0') =>
      emulator.mintAccessToken({ tenantId, version, kid: 'tenant-bound', signingKey: spare.privateKey });

    it('accepts a token whose issuer matches the issuer the key set gives the key', async () => {
      publishSpareKey(emulator.issuer('2.0', primary));
      await providerFor({}).verifyToken(signedBySpare(primary, '2.0'));
    });

    it('refuses a token signed with a key that the key set binds to another tenant', async () => {
      publishSpareKey(emulator.issuer('2.0', secondary));
      await expectRejection(providerFor({}).verifyToken(signedBySpare(primary, '2.0')), 'key_issuer_mismatch');
      await expectRejection(
        providerFor({ tenantId: 'common', validateTenant: false }).verifyToken(signedBySpare(primary, '2.0')),
        'key_issuer_mismatch',
      );
    });

    it('substitutes the token tid into a {tenantid} key issuer in multi-tenant key sets', async () => {
      publishSpareKey(`${emulator.baseUrl}/{tenantid}/v2.0`);
      const provider = providerFor({ tenantId: 'common', validateTenant: false });
      await provider.verifyToken(signedBySpare(primary, '2.0'));
      await provider.verifyToken(signedBySpare(secondary, '2.0'));
    });

    it('accepts a v1 token under the v2 issuer of its tenant (keys carry v2 issuers), and no other', async () => {
      publishSpareKey(emulator.issuer('2.0', primary));
      const provider = providerFor({});
      const verified = await provider.verifyToken(signedBySpare(primary, '1.0'));
      expect(verified.claims.iss).to.equal(emulator.issuer('1.0', primary));

      emulator.clearRawKeys();
      publishSpareKey(emulator.issuer('2.0', secondary));
      const fresh = providerFor({});
      await expectRejection(fresh.verifyToken(signedBySpare(primary, '1.0')), 'key_issuer_mismatch');
    });

    describe('v1 tokens: the binding comes from the v2 key set of the same authority (v1 key sets carry no issuers)', () => {
      it('refuses a v1 token of tenant B signed with a key the v2 set binds to tenant A, as its v2 twin (organizations + ALLOWED_TENANTS [A, B])', async () => {
        publishSpareKey(emulator.issuer('2.0', primary));
        const provider = providerFor({ tenantId: 'organizations', allowedTenants: [primary, secondary] });
        await provider.verifyToken(signedBySpare(primary, '1.0'));
        await expectRejection(provider.verifyToken(signedBySpare(secondary, '2.0')), 'key_issuer_mismatch');
        await expectRejection(provider.verifyToken(signedBySpare(secondary, '1.0')), 'key_issuer_mismatch');
      });

      it('refuses a v1 token signed with a key bound to another cloud, to the consumer tenant, or to another tenant, in every tenant mode', async () => {
        const otherBindings = [
          `https://login.microsoftonline.us/${primary}/v2.0`,
          'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
          emulator.issuer('2.0', secondary),
        ];
        for (const binding of otherBindings) {
          emulator.clearRawKeys();
          publishSpareKey(binding);
          for (const overrides of [
            {},
            { tenantId: 'common', validateTenant: false },
            { tenantId: 'organizations', allowedTenants: [primary] },
          ]) {
            await expectRejection(
              providerFor(overrides).verifyToken(signedBySpare(primary, '1.0')),
              'key_issuer_mismatch',
            );
          }
        }
      });

      it('accepts a v1 token whose kid the v2 set does not list: there is no binding to enforce', async () => {
        const provider = providerFor({});
        emulator.publishRawKey({ ...(spare.publicKey.export({ format: 'jwk' }) as object), kid: 'v1-only' });
        await provider.loadJwks('1.0');
        emulator.clearRawKeys();
        const token = emulator.mintAccessToken({
          tenantId: primary,
          version: '1.0',
          kid: 'v1-only',
          signingKey: spare.privateKey,
        });
        expect((await provider.verifyToken(token)).claims.ver).to.equal('1.0');
      });

      it('fetches the v2 set again, outside the unknown-kid cooldown, when the v1 set that gave the key is newer: an attacker cannot keep a new binding unseen', async () => {
        for (const overrides of [
          {},
          { tenantId: 'organizations', allowedTenants: [primary, secondary] },
          { tenantId: 'common', validateTenant: false },
        ]) {
          emulator.clearRawKeys();
          const provider = providerFor(overrides);
          await provider.verifyToken(tokenFor(primary));
          // The attacker spends the v2 set's unknown-kid refetch, so the cooldown runs.
          await expectRejection(
            provider.verifyToken(emulator.mintAccessToken({ tenantId: primary, kid: 'made-up' })),
            'key_not_found',
          );
          // A new key appears, bound to tenant A in the v2 set; the v1 set is first fetched after it.
          publishSpareKey(emulator.issuer('2.0', secondary));
          const before = emulator.requestCount('keys');
          await expectRejection(provider.verifyToken(signedBySpare(primary, '1.0')), 'key_issuer_mismatch');
          expect(emulator.requestCount('keys') - before, 'the v1 set and one v2 refetch').to.equal(2);
        }
      });

      it('answers 503 when that v2 refetch fails, never falling back to the older set', async () => {
        const provider = providerFor({});
        await provider.verifyToken(tokenFor(primary));
        publishSpareKey(emulator.issuer('2.0', primary));
        await provider.loadJwks('1.0');
        emulator.setFault('keys', { kind: 'status', status: 500 });
        try {
          await expectRejection(provider.verifyToken(signedBySpare(primary, '1.0')), 'keys_unavailable');
        } finally {
          emulator.setFault('keys', undefined);
        }
      });

      it('answers 503 keys_unavailable for a v1 token when the v2 key set cannot be had', async () => {
        const provider = providerFor({});
        await provider.loadJwks('1.0');
        emulator.setFault('keys', { kind: 'status', status: 500 });
        try {
          await expectRejection(provider.verifyToken(tokenFor(primary, '1.0')), 'keys_unavailable');
        } finally {
          emulator.setFault('keys', undefined);
        }
      });

      it('judges a cached v1 token again once the v2 key set changes its binding', async () => {
        publishSpareKey(emulator.issuer('2.0', primary));
        const provider = providerFor({});
        const token = signedBySpare(primary, '1.0');
        await provider.verifyToken(token);
        emulator.clearRawKeys();
        publishSpareKey(emulator.issuer('2.0', secondary));
        await provider.loadJwks('2.0');
        await expectRejection(provider.verifyToken(token), 'key_issuer_mismatch');
      });
    });
  });
});
