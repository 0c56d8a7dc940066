import { createHash, createPublicKey, verify } from 'node:crypto';
import { expect } from 'chai';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { EntraEmulator, GRAPH_APPLICATION_ID, ManualClock, apiApplicationObjectId } from '../../src/testing';
import { get, postForm } from '../support/http';

describe("Emulator: the API's app registration and Graph permissions, tokens for Microsoft Graph, the authority's clock", () => {
  let clock: ManualClock;
  let emulator: EntraEmulator;

  before(async () => {
    clock = new ManualClock();
    emulator = await EntraEmulator.start({ clock });
  });
  after(() => emulator.close());

  const appToken = async (tenantId: string = emulator.tenants.primary.id): Promise<Record<string, string>> => {
    const issued = await postForm(`${emulator.baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: emulator.apiClientId,
      client_secret: emulator.clientSecret,
      scope: `${emulator.graphUrl}/.default`,
    });
    return { authorization: `Bearer ${issued.json.access_token}` };
  };
  const applicationUrl = (appId: string): string => `${emulator.graphUrl}/v1.0/applications(appId='${appId}')`;

  it("serves the API's application object in its home tenant, matching the tokens it mints, and 404 elsewhere", async () => {
    const found = await get(applicationUrl(emulator.apiClientId), await appToken());
    expect(found.status).to.equal(200);
    expect(found.json).to.include({
      id: apiApplicationObjectId,
      appId: emulator.apiClientId,
      groupMembershipClaims: 'SecurityGroup',
    });
    expect(found.json.identifierUris).to.deep.equal([`api://${emulator.apiClientId}`]);
    expect(found.json.api.requestedAccessTokenVersion).to.equal(2);
    expect(found.json.api.oauth2PermissionScopes.map((scope: { value: string }) => scope.value)).to.deep.equal([
      'access_as_user',
    ]);
    expect(found.json.appRoles.map((role: { value: string }) => role.value)).to.deep.equal(['Tenant.Read.All']);
    expect(found.json.optionalClaims.accessToken.map((claim: { name: string }) => claim.name)).to.deep.equal(['idtyp']);
    // Percent-encoded quotes, as some clients send them, name the same resource.
    const encoded = `${emulator.graphUrl}/v1.0/applications(appId=%27${emulator.apiClientId}%27)`;
    expect((await get(encoded, await appToken())).status).to.equal(200);
    expect((await get(applicationUrl(emulator.clientAppId), await appToken())).status).to.equal(404);
    expect(
      (await get(applicationUrl(emulator.apiClientId), await appToken(emulator.tenants.secondary.id))).status,
    ).to.equal(404);
    expect((await get(applicationUrl(emulator.apiClientId))).status).to.equal(401);
  });

  it('serves the application object with members patched over it, removed with undefined, restored with no patch', async () => {
    emulator.patchApplication({ identifierUris: ['https://api.contoso.example'], groupMembershipClaims: undefined });
    try {
      const patched = (await get(applicationUrl(emulator.apiClientId), await appToken())).json;
      expect(patched.identifierUris).to.deep.equal(['https://api.contoso.example']);
      expect(patched).to.not.have.property('groupMembershipClaims');
      expect(patched.appId).to.equal(emulator.apiClientId);
    } finally {
      emulator.patchApplication(undefined);
    }
    expect((await get(applicationUrl(emulator.apiClientId), await appToken())).json.identifierUris).to.deep.equal([
      `api://${emulator.apiClientId}`,
    ]);
  });

  it('answers 403 Authorization_RequestDenied to a call whose Graph permission the tenant did not grant', async () => {
    const tenant = emulator.tenants.primary.id;
    const groupsUrl = `${emulator.graphUrl}/v1.0/groups?$top=1&$select=id`;
    const membersUrl = `${emulator.graphUrl}/v1.0/users/${emulator.users.administrator.oid}/transitiveMemberOf/microsoft.graph.group`;
    expect((await get(groupsUrl, await appToken())).json.value).to.have.length(1);
    emulator.setGraphPermissions(tenant, ['Application.Read.All']);
    try {
      const token = await appToken();
      for (const url of [groupsUrl, membersUrl]) {
        const refused = await get(url, token);
        expect([refused.status, refused.json.error.code]).to.deep.equal([403, 'Authorization_RequestDenied']);
      }
      expect((await get(applicationUrl(emulator.apiClientId), token)).status).to.equal(200);
      emulator.setGraphPermissions(tenant, ['GroupMember.Read.All']);
      expect((await get(applicationUrl(emulator.apiClientId), await appToken())).status).to.equal(403);
      expect((await get(membersUrl, await appToken())).status).to.equal(200);
    } finally {
      emulator.setGraphPermissions(tenant, ['GroupMember.Read.All', 'Application.Read.All']);
    }
  });

  it('dates every answer by its clock, as an authority whose clock is off would', async () => {
    const answer = await get(
      `${emulator.baseUrl}/${emulator.tenants.primary.id}/v2.0/.well-known/openid-configuration`,
    );
    expect(Date.parse(answer.headers.date!)).to.equal(Math.floor(clock.now() / 1000) * 1000);
    clock.advanceSeconds(600);
    const later = await get(`${emulator.baseUrl}/no-such-path`);
    expect(Date.parse(later.headers.date!)).to.equal(Math.floor(clock.now() / 1000) * 1000);
  });

  it('mints tokens for Microsoft Graph: v1, aud Graph, a nonce header whose SHA-256 was signed, so a standard verifier refuses them', async () => {
    const token = emulator.mintAccessToken({ microsoftGraph: true });
    const [headerSegment, payloadSegment, signatureSegment] = token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString());
    expect(header.nonce).to.be.a('string');
    expect(claims).to.include({ aud: 'https://graph.microsoft.com', ver: '1.0', scp: 'User.Read' });
    expect(emulator.mintAccessToken({ microsoftGraph: true, version: '2.0' })).to.satisfy((v2: string) =>
      Buffer.from(v2.split('.')[1]!, 'base64url').toString().includes(`"aud":"${GRAPH_APPLICATION_ID}"`),
    );

    const keys = (await get(`${emulator.baseUrl}/${emulator.tenants.primary.id}/discovery/v2.0/keys`)).json;
    let refusal: unknown;
    await jwtVerify(token, createLocalJWKSet(keys)).catch((error: unknown) => (refusal = error));
    expect(String(refusal)).to.match(/signature verification failed/);

    // Graph's own scheme verifies it: the header with the nonce replaced by base64url(SHA-256(nonce)).
    const hashedHeader = Buffer.from(
      JSON.stringify({ ...header, nonce: createHash('sha256').update(header.nonce).digest('base64url') }),
    ).toString('base64url');
    const publicKey = createPublicKey({ key: keys.keys[0], format: 'jwk' });
    const signedOver = Buffer.from(`${hashedHeader}.${payloadSegment}`);
    expect(verify('sha256', signedOver, publicKey, Buffer.from(signatureSegment, 'base64url'))).to.equal(true);
  });
});
