import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { expect } from 'chai';
import * as jose from 'jose';
import {
  EXTERNAL_ID_ISSUER_DOMAIN,
  EntraEmulator,
  ManualClock,
  encodeJwtSegment,
  getTestKeyPair,
  signJwt,
  warmTestKeys,
} from '../../src/testing';

interface FetchedJson {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

async function getJson(url: string): Promise<FetchedJson> {
  const response = await fetch(url);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

function decodeSegment(segment: string | undefined): any {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
}

function decodeToken(token: string): { header: any; payload: any } {
  const [header, payload] = token.split('.');
  return { header: decodeSegment(header), payload: decodeSegment(payload) };
}

/** Verifies with node:crypto only, independent of the emulator's signing code path. */
function verifiesWith(token: string, key: KeyObject | Record<string, unknown>, alg = 'RS256'): boolean {
  const [header, payload, signature] = token.split('.');
  const publicKey =
    'type' in key && typeof key.type === 'string'
      ? (key as KeyObject)
      : createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  const digest = `sha${alg.slice(2)}`;
  const verifier = alg.startsWith('PS')
    ? { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : publicKey;
  return verify(digest, Buffer.from(`${header}.${payload}`), verifier, Buffer.from(signature ?? '', 'base64url'));
}

describe('EntraEmulator', function () {
  this.timeout(10_000);
  let emulator: EntraEmulator;
  let clock: ManualClock;

  before(async () => {
    // Keys 0–2 serve every test: generated once, in parallel.
    await warmTestKeys(3);
  });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    emulator = await EntraEmulator.start({ clock });
  });

  afterEach(async () => {
    await emulator.close();
  });

  async function keySet(tenant: string, version: '1.0' | '2.0', query = ''): Promise<any[]> {
    const path = version === '2.0' ? 'discovery/v2.0/keys' : 'discovery/keys';
    const { status, body } = await getJson(`${emulator.baseUrl}/${tenant}/${path}${query}`);
    expect(status).to.equal(200);
    return body.keys;
  }

  async function publishedJwk(kid: string): Promise<Record<string, unknown>> {
    const key = (await keySet(emulator.tenants.primary.id, '2.0')).find((entry) => entry.kid === kid);
    expect(key, `kid ${kid} published`).to.not.equal(undefined);
    return key;
  }

  describe('test keys', () => {
    it('memoizes 2048-bit RSA keys with e = 65537 per index', async () => {
      const first = await getTestKeyPair(0);
      expect(await getTestKeyPair(0)).to.equal(first);
      expect(await getTestKeyPair(1)).to.not.equal(first);
      expect(first.publicKey.asymmetricKeyDetails).to.deep.include({ modulusLength: 2048, publicExponent: 65537n });
      expect(first.privateKey.type).to.equal('private');
    });

    it('rejects an invalid index', async () => {
      const failure = await getTestKeyPair(-1).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(RangeError);
    });
  });

  describe('discovery', () => {
    it('serves v2 metadata for a tenant GUID', async () => {
      const tenant = emulator.tenants.primary.id;
      const { status, headers, text, body } = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant));
      expect(status).to.equal(200);
      expect(headers.get('content-type')).to.match(/^application\/json\b/);
      expect(Number(headers.get('content-length'))).to.equal(Buffer.byteLength(text));
      expect(body.issuer).to.equal(`${emulator.baseUrl}/${tenant}/v2.0`);
      expect(body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/v2.0/keys`);
      expect(body.token_endpoint).to.equal(`${emulator.baseUrl}/${tenant}/oauth2/v2.0/token`);
      expect(body.id_token_signing_alg_values_supported).to.deep.equal(['RS256']);
      expect(body).to.include.keys(
        'authorization_endpoint',
        'response_types_supported',
        'subject_types_supported',
        'scopes_supported',
        'claims_supported',
        'tenant_region_scope',
        'cloud_instance_name',
      );
    });

    it('answers a domain with the GUID issuer and the requested path segment', async () => {
      const { domain, id } = emulator.tenants.secondary;
      const { body } = await getJson(`${emulator.baseUrl}/${domain}/v2.0/.well-known/openid-configuration`);
      expect(body.issuer).to.equal(`${emulator.baseUrl}/${id}/v2.0`);
      expect(body.jwks_uri).to.equal(`${emulator.baseUrl}/${domain}/discovery/v2.0/keys`);
    });

    it('serves the {tenantid} issuer template for common and organizations', async () => {
      for (const tenant of ['common', 'organizations']) {
        const v2 = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant));
        expect(v2.body.issuer).to.equal(`${emulator.baseUrl}/{tenantid}/v2.0`);
        expect(v2.body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/v2.0/keys`);
        expect(v2.body.tenant_region_scope).to.equal(null);
        // The library derives the v1 URL by removing "/v2.0" from the template.
        const v1 = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant).replace('/v2.0', ''));
        expect(v1.body.issuer).to.equal('https://sts.entra-emulator.test/{tenantid}/');
      }
      expect(emulator.issuer('2.0', 'common')).to.equal(`${emulator.baseUrl}/{tenantid}/v2.0`);
    });

    it('serves v1 metadata with the sts issuer and the v1 key set', async () => {
      const tenant = emulator.tenants.primary.id;
      const { status, body } = await getJson(`${emulator.baseUrl}/${tenant}/.well-known/openid-configuration`);
      expect(status).to.equal(200);
      expect(body.issuer).to.equal(`https://sts.entra-emulator.test/${tenant}/`);
      expect(body.issuer).to.equal(emulator.issuer('1.0', tenant));
      expect(body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/keys`);
      expect(body.token_endpoint).to.equal(`${emulator.baseUrl}/${tenant}/oauth2/token`);
    });

    it('rejects unknown tenants with 400 invalid_tenant and unknown paths with 404', async () => {
      for (const tenant of ['00000000-0000-0000-0000-000000000000', 'consumers', 'unknown.example']) {
        const discovery = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant));
        expect(discovery.status, tenant).to.equal(400);
        expect(discovery.body.error).to.equal('invalid_tenant');
        const keys = await getJson(`${emulator.baseUrl}/${tenant}/discovery/keys`);
        expect(keys.status, tenant).to.equal(400);
      }
      expect((await getJson(`${emulator.baseUrl}/common/v2.0/keys`)).status).to.equal(404);
      expect((await getJson(`${emulator.baseUrl}/`)).status).to.equal(404);
    });

    it('merges patchDiscovery members over one version only, and clears them', async () => {
      const url = emulator.jwksUrlTemplate.replace('{}', emulator.tenants.primary.id);
      emulator.patchDiscovery('2.0', { issuer: 'https://evil.example/', jwks_uri: undefined, extra: 1 });
      const patched = (await getJson(url)).body;
      expect(patched.issuer).to.equal('https://evil.example/');
      expect(patched).to.not.have.property('jwks_uri');
      expect(patched.extra).to.equal(1);
      expect((await getJson(url.replace('/v2.0', ''))).body.issuer).to.equal(
        emulator.issuer('1.0', emulator.tenants.primary.id),
      );
      emulator.patchDiscovery('2.0', undefined);
      expect((await getJson(url)).body.issuer).to.equal(emulator.issuer('2.0'));
    });
  });

  describe('key sets', () => {
    it('publishes RFC 7638 kids with the v2 issuer on v2 key sets only', async () => {
      const tenant = emulator.tenants.primary.id;
      const v2 = await keySet(tenant, '2.0');
      expect(v2).to.have.length(1);
      const [key] = v2;
      expect(key).to.have.all.keys('kty', 'use', 'kid', 'x5t', 'n', 'e', 'issuer');
      expect(key).to.include({ kty: 'RSA', use: 'sig', e: 'AQAB', kid: emulator.currentKid, x5t: emulator.currentKid });
      expect(key.issuer).to.equal(`${emulator.baseUrl}/${tenant}/v2.0`);
      expect(await jose.calculateJwkThumbprint({ kty: 'RSA', n: key.n, e: key.e })).to.equal(key.kid);

      const v1 = await keySet(tenant, '1.0');
      expect(v1).to.have.length(1);
      expect(v1[0]).to.not.have.property('issuer');
      expect(v1[0]).to.include({ kid: key.kid, n: key.n });

      expect((await keySet('common', '2.0'))[0].issuer).to.equal(`${emulator.baseUrl}/{tenantid}/v2.0`);
      expect((await keySet(emulator.tenants.secondary.domain, '2.0'))[0].issuer).to.equal(
        `${emulator.baseUrl}/${emulator.tenants.secondary.id}/v2.0`,
      );
    });

    it('adds, rotates and removes signing keys', async () => {
      const first = emulator.currentKid;
      const second = await emulator.addSigningKey();
      expect(second).to.not.equal(first);
      expect(emulator.currentKid).to.equal(first);
      expect(emulator.publishedKids()).to.deep.equal([first, second]);

      const third = await emulator.rotateSigningKey();
      expect(emulator.currentKid).to.equal(third);
      expect(decodeToken(emulator.mintAccessToken()).header.kid).to.equal(third);
      expect((await keySet('common', '2.0')).map((key) => key.kid)).to.deep.equal([first, second, third]);

      emulator.removeSigningKey(first);
      expect(emulator.publishedKids()).to.deep.equal([second, third]);
      expect((await keySet('common', '1.0')).map((key) => key.kid)).to.deep.equal([second, third]);
      // A retired key still signs: tokens minted before a rollover.
      const retired = emulator.mintAccessToken({ kid: first });
      expect(decodeToken(retired).header.kid).to.equal(first);
      expect(verifiesWith(retired, emulator.privateKeyFor(first))).to.equal(true);
      expect(() => emulator.removeSigningKey(first)).to.throw(/not published/);
    });

    it('publishes an app key only under ?appid= and echoes appid into jwks_uri', async () => {
      const appId = '8d8c3c7e-1c53-4c5e-9c51-4a3c5d0f6b11';
      const appKid = await emulator.addAppSigningKey(appId);
      expect(emulator.currentKid).to.not.equal(appKid);
      const tenant = emulator.tenants.primary.id;

      const discovery = await getJson(`${emulator.jwksUrlTemplate.replace('{}', tenant)}?appid=${appId}`);
      expect(discovery.body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/v2.0/keys?appid=${appId}`);
      const v1Discovery = await getJson(
        `${emulator.baseUrl}/${tenant}/.well-known/openid-configuration?appid=${appId}`,
      );
      expect(v1Discovery.body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/keys?appid=${appId}`);

      const withApp = await getJson(discovery.body.jwks_uri);
      expect(withApp.body.keys.map((key: any) => key.kid)).to.deep.equal([emulator.currentKid, appKid]);
      expect((await keySet(tenant, '2.0')).map((key) => key.kid)).to.deep.equal([emulator.currentKid]);
      expect(emulator.publishedKids(appId)).to.deep.equal([emulator.currentKid, appKid]);

      const token = emulator.mintAccessToken({ kid: appKid });
      expect(verifiesWith(token, withApp.body.keys[1])).to.equal(true);
      expect((await getJson(`${emulator.baseUrl}/${tenant}/discovery/keys?appid=nope`)).status).to.equal(400);
    });

    it('appends raw keys verbatim to every key set until cleared', async () => {
      const hostile = { kty: 'RSA', kid: 'weak', n: 'AQAB', e: 'AQ', d: 'secret', use: 'enc' };
      emulator.publishRawKey(hostile);
      emulator.publishRawKey(hostile);
      for (const version of ['1.0', '2.0'] as const) {
        const keys = await keySet('common', version);
        expect(keys).to.have.length(3);
        expect(keys[1]).to.deep.equal(hostile);
        expect(keys[2]).to.deep.equal(hostile);
      }
      emulator.clearRawKeys();
      expect(await keySet('common', '2.0')).to.have.length(1);
    });

    it("serves a raw key's issuer member in v2 key sets only, as Entra binds keys to issuers there", async () => {
      const bound = { kty: 'RSA', kid: 'bound', n: 'AQAB', e: 'AQAB', issuer: 'https://issuer.example/v2.0' };
      emulator.publishRawKey(bound);
      expect((await keySet('common', '2.0'))[1]).to.deep.equal(bound);
      const { issuer: _issuer, ...unbound } = bound;
      expect((await keySet('common', '1.0'))[1]).to.deep.equal(unbound);
      emulator.clearRawKeys();
    });
  });

  describe('minting', () => {
    it('mints a v2 user token that verifies against the published key and carries Entra claims', async () => {
      const token = emulator.mintAccessToken();
      const { header, payload } = decodeToken(token);
      expect(header).to.deep.equal({ typ: 'JWT', alg: 'RS256', kid: emulator.currentKid });
      expect(verifiesWith(token, await publishedJwk(header.kid))).to.equal(true);

      const now = Math.floor(clock.now() / 1000);
      const member = emulator.users.member;
      expect(payload).to.include({
        aud: emulator.apiClientId,
        iss: `${emulator.baseUrl}/${emulator.tenants.primary.id}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        azp: emulator.clientAppId,
        azpacr: '0',
        name: 'Megan Member',
        oid: member.oid,
        preferred_username: 'megan@contoso.example',
        scp: 'access_as_user',
        tid: emulator.tenants.primary.id,
        ver: '2.0',
      });
      expect(payload).to.include.keys('aio', 'rh', 'sub', 'uti');
      expect(payload.sub).to.not.equal(member.oid);
      expect(payload).to.not.have.any.keys('roles', 'groups', 'idtyp', 'appid', 'upn');

      // An independent verifier agrees (issuer, audience, times at the emulator's clock).
      const jwks = jose.createLocalJWKSet({ keys: await keySet(emulator.tenants.primary.id, '2.0') });
      const verified = await jose.jwtVerify(token, jwks, {
        issuer: payload.iss,
        audience: emulator.apiClientId,
        currentDate: new Date(clock.now()),
      });
      expect(verified.payload.oid).to.equal(member.oid);
    });

    it('mints a v1 user token with the v1 issuer and claim set', async () => {
      const admin = emulator.users.administrator;
      const token = emulator.mintAccessToken({ version: '1.0', user: admin });
      const { header, payload } = decodeToken(token);
      expect(verifiesWith(token, await publishedJwk(header.kid))).to.equal(true);
      expect(payload).to.include({
        aud: `api://${emulator.apiClientId}`,
        iss: `https://sts.entra-emulator.test/${emulator.tenants.primary.id}/`,
        acr: '1',
        appid: emulator.clientAppId,
        appidacr: '0',
        name: 'Adele Admin',
        oid: admin.oid,
        scp: 'access_as_user',
        unique_name: admin.upn,
        upn: admin.upn,
        ver: '1.0',
      });
      expect(payload.amr).to.deep.equal(['pwd']);
      expect(payload.groups).to.deep.equal([emulator.groups.administrators]);
      expect(payload).to.not.have.any.keys('azp', 'preferred_username', 'idtyp');
    });

    it('mints app-only tokens in both versions', async () => {
      const spn = emulator.clientAppServicePrincipalId;
      const v2 = decodeToken(emulator.mintAccessToken({ appOnly: true })).payload;
      expect(v2).to.include({ idtyp: 'app', oid: spn, sub: spn, azp: emulator.clientAppId, ver: '2.0' });
      expect(v2.roles).to.deep.equal(['Tenant.Read.All']);
      expect(v2).to.not.have.any.keys('scp', 'name', 'preferred_username', 'groups');

      const v1Token = emulator.mintAccessToken({ appOnly: true, version: '1.0', roles: ['A.B'] });
      const v1 = decodeToken(v1Token).payload;
      expect(v1).to.include({ idtyp: 'app', oid: spn, appid: emulator.clientAppId, ver: '1.0' });
      expect(v1.roles).to.deep.equal(['A.B']);
      expect(v1).to.not.have.any.keys('scp', 'name', 'upn', 'unique_name', 'azp');
      expect(verifiesWith(v1Token, emulator.privateKeyFor(emulator.currentKid))).to.equal(true);
    });

    it('applies tenant, audience, lifetime, claim and header overrides', () => {
      const { domain, id } = emulator.tenants.secondary;
      const token = emulator.mintAccessToken({
        tenantId: domain,
        audience: ['a', 'b'],
        scopes: [],
        lifetimeSeconds: 60,
        claims: { oid: undefined, extra: 'x', ['__proto__']: 'own member' },
        header: { typ: undefined, crit: ['exp'] },
      });
      const { header, payload } = decodeToken(token);
      expect(header).to.deep.equal({ alg: 'RS256', kid: emulator.currentKid, crit: ['exp'] });
      expect(payload.tid).to.equal(id);
      expect(payload.iss).to.equal(emulator.issuer('2.0', id));
      expect(payload.aud).to.deep.equal(['a', 'b']);
      expect(payload.exp - payload.iat).to.equal(60);
      expect(payload).to.not.have.any.keys('oid', 'scp');
      expect(payload.extra).to.equal('x');
      expect(Object.prototype.hasOwnProperty.call(payload, '__proto__')).to.equal(true);
    });

    it('follows the clock', () => {
      const before = decodeToken(emulator.mintAccessToken()).payload.iat;
      clock.advanceSeconds(90);
      expect(decodeToken(emulator.mintAccessToken()).payload.iat).to.equal(before + 90);
    });

    it('signs with PS256, with a foreign key, or with the current key under an unknown kid', async () => {
      const published = await publishedJwk(emulator.currentKid);
      const pss = emulator.mintAccessToken({ alg: 'PS256' });
      expect(decodeToken(pss).header.alg).to.equal('PS256');
      expect(verifiesWith(pss, published, 'PS256')).to.equal(true);
      expect(verifiesWith(pss, published, 'RS256')).to.equal(false);

      // Key 1 is not published by this emulator: an attacker's key.
      const attacker = await getTestKeyPair(1);
      const forged = emulator.mintAccessToken({ signingKey: attacker.privateKey });
      expect(decodeToken(forged).header.kid).to.equal(emulator.currentKid);
      expect(verifiesWith(forged, published)).to.equal(false);
      expect(verifiesWith(forged, attacker.publicKey)).to.equal(true);

      const unknownKid = emulator.mintAccessToken({ kid: 'no-such-kid' });
      expect(decodeToken(unknownKid).header.kid).to.equal('no-such-kid');
      expect(verifiesWith(unknownKid, published)).to.equal(true);
    });

    it('exposes raw segment encoding and signing that ignore header.alg', async () => {
      expect(encodeJwtSegment({ name: 'Zoë' })).to.equal(Buffer.from('{"name":"Zoë"}', 'utf8').toString('base64url'));
      const raw = Buffer.from('{"tid":"a","tid":"b"}');
      expect(encodeJwtSegment(raw)).to.equal(raw.toString('base64url'));

      const { privateKey, publicKey } = await getTestKeyPair(0);
      const token = signJwt({ alg: 'none', kid: 'k' }, raw, privateKey);
      expect(decodeToken(token).header.alg).to.equal('none');
      expect(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).to.equal('{"tid":"a","tid":"b"}');
      expect(verifiesWith(token, publicKey)).to.equal(true);
      expect(verifiesWith(signJwt({}, {}, privateKey, 'PS512'), publicKey, 'PS512')).to.equal(true);
    });
  });

  describe('External ID tenants, guests, step-up and client capabilities', () => {
    it("serves an External ID tenant's documents, whose v2 issuer names its GUID in host and path", async () => {
      const { id, domain } = emulator.tenants.external;
      for (const tenant of [id, domain]) {
        const v2 = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant));
        expect(v2.body.issuer).to.equal(`https://${id}.ciamlogin.entra-emulator.test/${id}/v2.0`);
        expect(v2.body.jwks_uri).to.equal(`${emulator.baseUrl}/${tenant}/discovery/v2.0/keys`);
        const v1 = await getJson(emulator.jwksUrlTemplate.replace('{}', tenant).replace('/v2.0', ''));
        expect(v1.body.issuer).to.equal(`https://sts.entra-emulator.test/${id}/`);
      }
      expect(emulator.issuer('2.0', id)).to.equal(`https://${id}.${EXTERNAL_ID_ISSUER_DOMAIN}/${id}/v2.0`);
      expect(emulator.issuer('2.0', emulator.tenants.otherExternal.domain)).to.equal(
        `https://${emulator.tenants.otherExternal.id}.${EXTERNAL_ID_ISSUER_DOMAIN}/${emulator.tenants.otherExternal.id}/v2.0`,
      );
      const [key] = await keySet(id, '2.0');
      expect(key.issuer).to.equal('https://{tenantid}.ciamlogin.entra-emulator.test/{tenantid}/v2.0');
      expect((await keySet(id, '1.0'))[0]).to.not.have.property('issuer');
    });

    it('mints tokens of External ID tenants with their issuer', () => {
      const { id } = emulator.tenants.external;
      const { payload } = decodeToken(emulator.mintAccessToken({ tenantId: id }));
      expect([payload.iss, payload.tid]).to.deep.equal([emulator.issuer('2.0', id), id]);
    });

    it('mints acrs, acct, xms_cc and the idp of guests', () => {
      const member = decodeToken(
        emulator.mintAccessToken({ authContexts: ['c1', 'c2'], clientCapabilities: ['cp1'], acct: true }),
      );
      expect(member.payload).to.deep.include({ acrs: ['c1', 'c2'], xms_cc: ['cp1'], acct: 0 });
      expect(member.payload).to.not.have.property('idp');

      const guest = decodeToken(emulator.mintAccessToken({ user: emulator.users.guest, acct: true, version: '1.0' }));
      expect(guest.payload).to.deep.include({
        acct: 1,
        idp: `https://sts.entra-emulator.test/${emulator.tenants.secondary.id}/`,
        oid: emulator.users.guest.oid,
      });
      expect(decodeToken(emulator.mintAccessToken({ user: emulator.users.personalAccountGuest })).payload.idp).to.equal(
        'live.com',
      );

      const plain = decodeToken(emulator.mintAccessToken()).payload;
      expect(plain).to.not.have.any.keys('acrs', 'acct', 'xms_cc', 'idp');
      const app = decodeToken(
        emulator.mintAccessToken({ appOnly: true, authContexts: ['c1'], acct: true, clientCapabilities: ['cp1'] }),
      ).payload;
      expect(app).to.not.have.any.keys('acrs', 'acct', 'idp');
      expect(app.xms_cc).to.deep.equal(['cp1']);
    });
  });

  describe('faults', () => {
    const discoveryUrl = (): string => emulator.jwksUrlTemplate.replace('{}', 'common');
    const keysUrl = (): string => `${emulator.baseUrl}/common/discovery/v2.0/keys`;

    it('down: destroys the connection without a response, then recovers', async () => {
      emulator.setFault('keys', { kind: 'down' }, { times: 1 });
      const failure = await fetch(keysUrl()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(TypeError);
      expect(emulator.requestCount('keys')).to.equal(1);
      expect(emulator.bytesSent('keys')).to.equal(0);
      expect((await getJson(keysUrl())).status).to.equal(200);
    });

    it('status: answers the given status and body for the next N requests only', async () => {
      emulator.setFault('discovery', { kind: 'status', status: 503, body: 'maintenance' }, { times: 2 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const { status, text } = await getJson(discoveryUrl());
        expect(status).to.equal(503);
        expect(text).to.equal('maintenance');
      }
      expect((await getJson(discoveryUrl())).status).to.equal(200);
      expect((await getJson(keysUrl())).status).to.equal(200);
    });

    it("'all' shares one times budget across both kinds, and undefined heals", async () => {
      emulator.setFault('all', { kind: 'status', status: 500 }, { times: 2 });
      expect((await getJson(keysUrl())).status).to.equal(500);
      expect((await getJson(discoveryUrl())).status).to.equal(500);
      expect((await getJson(keysUrl())).status).to.equal(200);

      emulator.setFault('all', { kind: 'status', status: 502 });
      emulator.setFault('keys', undefined);
      expect((await getJson(keysUrl())).status).to.equal(200);
      expect((await getJson(discoveryUrl())).status).to.equal(502);
      expect((await getJson(discoveryUrl())).status).to.equal(502);
    });

    it('slow: answers normally after a real delay', async () => {
      emulator.setFault('keys', { kind: 'slow', delayMs: 300 }, { times: 1 });
      const started = Date.now();
      const slow = await getJson(keysUrl());
      expect(Date.now() - started).to.be.at.least(250);
      expect(slow.status).to.equal(200);
      expect(slow.body.keys).to.have.length(1);
      const fastStart = Date.now();
      await getJson(keysUrl());
      expect(Date.now() - fastStart).to.be.below(250);
    });

    it('slow: close() does not wait for pending slow answers', async () => {
      emulator.setFault('keys', { kind: 'slow', delayMs: 60_000 });
      const pending = fetch(keysUrl()).then(
        () => 'answered',
        () => 'failed',
      );
      while (emulator.requestCount('keys') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const started = Date.now();
      await emulator.close();
      expect(Date.now() - started).to.be.below(1000);
      expect(await pending).to.equal('failed');
    });

    it('garbage: 200 with the given body and content type', async () => {
      emulator.setFault(
        'discovery',
        { kind: 'garbage', body: '<html>login</html>', contentType: 'text/html' },
        { times: 1 },
      );
      const { status, headers, text } = await getJson(discoveryUrl());
      expect(status).to.equal(200);
      expect(headers.get('content-type')).to.equal('text/html');
      expect(text).to.equal('<html>login</html>');
      expect((await getJson(discoveryUrl())).body.issuer).to.be.a('string');
    });

    it('huge: streams chunked filler of the exact size without content-length', async () => {
      emulator.setFault('keys', { kind: 'huge', bytes: 200_000 }, { times: 1 });
      const response = await fetch(keysUrl());
      expect(response.headers.get('content-length')).to.equal(null);
      expect(response.headers.get('transfer-encoding')).to.equal('chunked');
      const text = await response.text();
      expect(Buffer.byteLength(text)).to.equal(200_000);
      expect(JSON.parse(text).keys).to.have.length(1);
      expect(emulator.bytesSent('keys')).to.equal(200_000);
    });

    it('huge: stops writing as soon as the client goes away', async () => {
      const total = 256 * 1024 * 1024;
      emulator.setFault('keys', { kind: 'huge', bytes: total });
      const controller = new AbortController();
      const response = await fetch(keysUrl(), { signal: controller.signal });
      const reader = response.body!.getReader();
      let received = 0;
      while (received < 1024 * 1024) {
        const { value, done } = await reader.read();
        if (done) break;
        received += value.length;
      }
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const afterAbort = emulator.bytesSent('keys');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(emulator.bytesSent('keys')).to.equal(afterAbort);
      expect(afterAbort).to.be.at.least(received);
      expect(afterAbort).to.be.below(total / 4);
    });

    it('redirect: answers a 302 (or the given status) with a location', async () => {
      emulator.setFault('discovery', { kind: 'redirect', location: 'https://evil.example/x' }, { times: 1 });
      const first = await fetch(discoveryUrl(), { redirect: 'manual' });
      expect(first.status).to.equal(302);
      expect(first.headers.get('location')).to.equal('https://evil.example/x');
      emulator.setFault('keys', { kind: 'redirect', location: '/elsewhere', status: 308 }, { times: 1 });
      expect((await fetch(keysUrl(), { redirect: 'manual' })).status).to.equal(308);
      expect((await getJson(keysUrl())).status).to.equal(200);
    });

    it('rejects malformed faults', () => {
      expect(() => emulator.setFault('keys', { kind: 'status', status: 99 })).to.throw(RangeError);
      expect(() => emulator.setFault('keys', { kind: 'down' }, { times: 0 })).to.throw(RangeError);
    });
  });

  describe('counters', () => {
    it('counts requests and body bytes per endpoint kind, logs every request, and resets', async () => {
      const discovery = await getJson(
        `${emulator.jwksUrlTemplate.replace('{}', 'common')}?appid=${emulator.clientAppId}`,
      );
      const discovery2 = await getJson(`${emulator.baseUrl}/common/.well-known/openid-configuration`);
      const keys = await getJson(`${emulator.baseUrl}/common/discovery/keys`);
      await getJson(`${emulator.baseUrl}/nothing-here`);

      expect(emulator.requestCount('discovery')).to.equal(2);
      expect(emulator.requestCount('keys')).to.equal(1);
      expect(emulator.bytesSent('discovery')).to.equal(
        Buffer.byteLength(discovery.text) + Buffer.byteLength(discovery2.text),
      );
      expect(emulator.bytesSent('keys')).to.equal(Buffer.byteLength(keys.text));
      expect(emulator.requestLog).to.deep.equal([
        `GET /common/v2.0/.well-known/openid-configuration?appid=${emulator.clientAppId}`,
        'GET /common/.well-known/openid-configuration',
        'GET /common/discovery/keys',
        'GET /nothing-here',
      ]);

      emulator.resetCounters();
      expect(emulator.requestCount('discovery')).to.equal(0);
      expect(emulator.requestCount('keys')).to.equal(0);
      expect(emulator.bytesSent('keys')).to.equal(0);
      expect(emulator.requestLog).to.deep.equal([]);
    });
  });

  describe('lifecycle', () => {
    it('listens on 127.0.0.1 and refuses connections after close', async () => {
      expect(emulator.baseUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.jwksUrlTemplate).to.equal(`${emulator.baseUrl}/{}/v2.0/.well-known/openid-configuration`);
      await emulator.close();
      await emulator.close();
      const failure = await fetch(`${emulator.baseUrl}/common/discovery/keys`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(TypeError);
    });

    it('starts with several published keys when asked', async () => {
      const several = await EntraEmulator.start({ signingKeyCount: 3 });
      try {
        expect(several.publishedKids()).to.have.length(3);
        expect(several.currentKid).to.equal(several.publishedKids()[0]);
        expect(several.currentKid).to.equal(emulator.currentKid);
      } finally {
        await several.close();
      }
    });
  });
});
