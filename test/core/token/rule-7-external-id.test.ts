import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { HttpClient, JwksCache, Settings } from '../../../src';
import { getTestKeyPair, type EntraEmulator } from '../../../src/testing';
import { MicrosoftInMemory } from '../../security/support/microsoft-in-memory';
import { startupProblems, withApp, type TestApp } from '../../support/app';
import { bearer, get, type HttpResult } from '../../support/http';

@JsonController('/external')
class ExternalController {
  @Authorized()
  @Get('/me')
  me() {
    return { ok: true };
  }
}

describe('Rule 7 for Entra External ID (CIAM) tenants: the issuer names the tenant GUID in host and path', () => {
  let app: TestApp;
  let emulator: EntraEmulator;
  let tenant: string;
  let other: string;

  // The emulator stands for the tenant's authority (like a custom URL domain); its External ID
  // issuers are https://<tid>.ciamlogin.entra-emulator.test/<tid>/v2.0.
  before(async () => {
    app = await withApp({
      controllers: [ExternalController],
      settings: (emulator) => ({ tenantId: emulator.tenants.external.id, authorityType: 'external_id' }),
    });
    emulator = app.emulator;
    tenant = emulator.tenants.external.id;
    other = emulator.tenants.otherExternal.id;
  });
  afterEach(() => emulator.clearRawKeys());
  after(() => app.close());

  const call = (target: TestApp, token: string): Promise<HttpResult> => get(`${target.url}/external/me`, bearer(token));

  it("accepts the tenant's v2 and v1 tokens, whose v2 issuer carries the tenant GUID in its host", async () => {
    const v2 = emulator.mintAccessToken({ tenantId: tenant });
    expect(JSON.parse(Buffer.from(v2.split('.')[1]!, 'base64url').toString()).iss).to.equal(
      `https://${tenant}.ciamlogin.entra-emulator.test/${tenant}/v2.0`,
    );
    expect((await call(app, v2)).status).to.equal(200);
    expect((await call(app, emulator.mintAccessToken({ tenantId: tenant, version: '1.0' }))).status).to.equal(200);
  });

  it("refuses another External ID tenant's tokens, and a token naming one tenant's issuer with another's tid", async () => {
    const foreign = await call(app, emulator.mintAccessToken({ tenantId: other }));
    expect([foreign.status, foreign.json.reason]).to.deep.equal([401, 'issuer_invalid']);
    const swappedTid = await call(app, emulator.mintAccessToken({ tenantId: tenant, claims: { tid: other } }));
    expect([swappedTid.status, swappedTid.json.reason]).to.deep.equal([401, 'tenant_invalid']);
    // The other tenant's issuer host with this tenant's GUID in the path, and the reverse.
    for (const iss of [
      `https://${other}.ciamlogin.entra-emulator.test/${tenant}/v2.0`,
      `https://${tenant}.ciamlogin.entra-emulator.test/${other}/v2.0`,
      `${emulator.baseUrl}/${tenant}/v2.0`,
    ]) {
      const refused = await call(app, emulator.mintAccessToken({ tenantId: tenant, claims: { iss } }));
      expect([refused.status, refused.json.reason], iss).to.deep.equal([401, 'issuer_invalid']);
    }
  });

  it('keeps the key-issuer check: a key bound to another issuer cannot sign for this tenant', async () => {
    const { publicKey, privateKey } = await getTestKeyPair(3);
    const jwk = publicKey.export({ format: 'jwk' });
    const bindings = [
      ['bound-to-workforce', `${emulator.baseUrl}/{tenantid}/v2.0`],
      ['bound-to-other-tenant', `https://${other}.ciamlogin.entra-emulator.test/${other}/v2.0`],
    ] as const;
    // Both published before the first request: one unknown-kid refetch loads them together.
    for (const [kid, issuer] of bindings) emulator.publishRawKey({ ...jwk, kid, use: 'sig', issuer });
    for (const [kid] of bindings) {
      const token = emulator.mintAccessToken({ tenantId: tenant, kid, signingKey: privateKey });
      const refused = await call(app, token);
      expect([refused.status, refused.json.reason], kid).to.deep.equal([401, 'key_issuer_mismatch']);
    }
  });

  it('names the tenant by GUID, by <subdomain>.onmicrosoft.com or by its bare subdomain (read as the domain)', async () => {
    const { domain, subdomain } = emulator.tenants.external;
    for (const tenantId of [domain, subdomain]) {
      const named = await withApp({
        controllers: [ExternalController],
        sharing: app,
        settings: { tenantId, authorityType: 'external_id' },
      });
      try {
        emulator.resetCounters();
        expect((await call(named, emulator.mintAccessToken({ tenantId: tenant }))).status, tenantId).to.equal(200);
        expect(emulator.requestLog).to.include(`GET /${domain}/v2.0/.well-known/openid-configuration`);
        expect((await call(named, emulator.mintAccessToken({ tenantId: other }))).status, tenantId).to.equal(401);
      } finally {
        await named.close();
      }
    }
  });

  it('refuses a discovery document whose issuer does not carry one tenant GUID in host and path (503, invalid_discovery)', async () => {
    for (const issuer of [
      `${emulator.baseUrl}/${tenant}/v2.0`,
      `https://${other}.ciamlogin.entra-emulator.test/${tenant}/v2.0`,
      `https://${tenant}.ciamlogin.entra-emulator.test/${other}/v2.0`,
      `http://${tenant}.ciamlogin.entra-emulator.test/${tenant}/v2.0`,
    ]) {
      emulator.patchDiscovery('2.0', { issuer });
      const fresh = await withApp({
        controllers: [ExternalController],
        sharing: app,
        settings: { tenantId: tenant, authorityType: 'external_id' },
      });
      try {
        const refused = await call(fresh, emulator.mintAccessToken({ tenantId: tenant, claims: { iss: issuer } }));
        expect([refused.status, refused.json.reason], issuer).to.deep.equal([503, 'keys_unavailable']);
        const { keySets } = fresh.container.resolve(JwksCache).health();
        expect(keySets.find((keySet) => keySet.version === '2.0')!.lastError, issuer).to.equal('invalid_discovery');
      } finally {
        await fresh.close();
        emulator.patchDiscovery('2.0', undefined);
      }
    }
  });

  it('defaults the authority to https://<subdomain>.ciamlogin.com (served from memory here) and names it in claims challenges', async () => {
    const { publicKey } = await getTestKeyPair(0);
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: emulator.currentKid, use: 'sig' };
    const ciamIssuer = `https://${tenant}.ciamlogin.com/${tenant}/v2.0`;
    const microsoft = new MicrosoftInMemory(tenant, jwk, 'https://{tenantid}.ciamlogin.com/{tenantid}/v2.0', {
      authority: 'https://contosoid.ciamlogin.com',
      tenantSegment: 'contosoid.onmicrosoft.com',
      v2Issuer: ciamIssuer,
    });
    const byDefault = await withApp({
      controllers: [ExternalController],
      sharing: app,
      settings: { tenantId: 'contosoid', authorityType: 'external_id', jwksUrlTemplate: undefined },
      configure: (container) => container.register(HttpClient, { useValue: microsoft }),
    });
    try {
      const settings = byDefault.container.resolve(Settings);
      expect(settings.discoveryUrl('2.0')).to.equal(
        'https://contosoid.ciamlogin.com/contosoid.onmicrosoft.com/v2.0/.well-known/openid-configuration',
      );
      expect(settings.claimsChallengeAuthority).to.deep.equal({
        realm: 'contosoid.onmicrosoft.com',
        authorizationUri: 'https://contosoid.ciamlogin.com/contosoid.onmicrosoft.com/oauth2/v2.0/authorize',
      });
      const token = emulator.mintAccessToken({ tenantId: tenant, claims: { iss: ciamIssuer } });
      expect((await call(byDefault, token)).status).to.equal(200);
      const foreign = emulator.mintAccessToken({
        tenantId: other,
        claims: { iss: `https://${other}.ciamlogin.com/${other}/v2.0` },
      });
      expect((await call(byDefault, foreign)).json.reason).to.equal('issuer_invalid');
      expect(microsoft.unservedUrls).to.deep.equal([]);
    } finally {
      await byDefault.close();
    }
  });

  it('refuses at startup: common with external_id, a tenant domain whose authority cannot be guessed, a bare name without external_id', async () => {
    const start = (settings: Parameters<typeof withApp>[0]['settings']) => () =>
      withApp({ controllers: [ExternalController], sharing: app, settings });
    expect(
      await startupProblems(start({ tenantId: 'common', authorityType: 'external_id', validateTenant: false })),
    ).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_AUTHORITY_TYPE: an External ID tenant is a single tenant; name it by its subdomain, <subdomain>.onmicrosoft.com or its GUID, not "common"',
    ]);
    expect(
      await startupProblems(
        start({ tenantId: 'login.contoso.example', authorityType: 'external_id', jwksUrlTemplate: undefined }),
      ),
    ).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: an External ID tenant named by another domain than <subdomain>.onmicrosoft.com needs its authority: set the discovery URL of its custom URL domain (https://<domain>/{}/v2.0/.well-known/openid-configuration), or name the tenant by its subdomain or GUID',
    ]);
    expect(await startupProblems(start({ tenantId: 'contosoid' }))).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_TENANT_ID (or ENTRA_TENANT_ID): "contosoid" is a bare name, which only an External ID tenant\'s subdomain is; set AUTH_PROVIDER_AZURE_ENTRA_ID_AUTHORITY_TYPE=external_id, or give the tenant\'s GUID or a verified domain',
    ]);
    expect(await startupProblems(start({ authorityType: 'ciam' as 'external_id' }))).to.deep.equal([
      'AUTH_PROVIDER_AZURE_ENTRA_ID_AUTHORITY_TYPE: expected one of workforce, external_id',
    ]);
  });
});
