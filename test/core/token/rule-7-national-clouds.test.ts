import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { HttpClient } from '../../../src';
import { serveProtectedResourceMetadata } from '../../../src/koa';
import { getTestKeyPair, type EntraEmulator } from '../../../src/testing';
import { MicrosoftInMemory, type CloudOptions } from '../../security/support/microsoft-in-memory';
import { withApp, type TestApp } from '../../support/app';
import { bearer, get } from '../../support/http';

@JsonController('/cloud')
class CloudController {
  @Authorized(['authContext:c1'])
  @Get('/stepped-up')
  steppedUp() {
    return { ok: true };
  }
}

interface NationalCloud {
  readonly name: string;
  readonly authority: string;
  readonly v1IssuerOrigin: string;
}

// Their documents, as those authorities publish them, are served from memory: nothing here
// reaches a real Microsoft host.
const CLOUDS: readonly NationalCloud[] = [
  { name: 'US Government', authority: 'https://login.microsoftonline.us', v1IssuerOrigin: 'https://sts.windows.net' },
  {
    name: 'China (21Vianet)',
    authority: 'https://login.partner.microsoftonline.cn',
    v1IssuerOrigin: 'https://sts.chinacloudapi.cn',
  },
];

describe('Rule 7 in national clouds: the authority template is all a cloud needs', () => {
  let base: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    base = await withApp({ controllers: [] });
    emulator = base.emulator;
  });
  after(() => base.close());

  for (const cloud of CLOUDS) {
    describe(`${cloud.name}: ${cloud.authority}`, () => {
      let app: TestApp;
      let tenant: string;
      let microsoft: MicrosoftInMemory;

      before(async () => {
        tenant = emulator.tenants.primary.id;
        const { publicKey } = await getTestKeyPair(0);
        const jwk = { ...publicKey.export({ format: 'jwk' }), kid: emulator.currentKid, use: 'sig' };
        const options: CloudOptions = { authority: cloud.authority, v1Issuer: `${cloud.v1IssuerOrigin}/${tenant}/` };
        microsoft = new MicrosoftInMemory(tenant, jwk, undefined, options);
        app = await withApp({
          controllers: [CloudController],
          sharing: base,
          settings: { jwksUrlTemplate: `${cloud.authority}/{}/v2.0/.well-known/openid-configuration` },
          configure: (container) => {
            container.register(HttpClient, { useValue: microsoft });
          },
        });
      });
      after(() => app.close());

      const status = async (claims: Record<string, unknown>, version: '1.0' | '2.0' = '2.0') =>
        (
          await get(
            `${app.url}/cloud/stepped-up`,
            bearer(emulator.mintAccessToken({ version, authContexts: ['c1'], claims })),
          )
        ).json?.reason ?? 'accepted';

      it("accepts the cloud's v2 and v1 tokens, each judged by its own document", async () => {
        expect(await status({ iss: `${cloud.authority}/${tenant}/v2.0` })).to.equal('accepted');
        expect(await status({ iss: `${cloud.v1IssuerOrigin}/${tenant}/` }, '1.0')).to.equal('accepted');
        expect(microsoft.unservedUrls).to.deep.equal([]);
      });

      it("refuses the public cloud's issuer for the same tenant", async () => {
        expect(await status({ iss: `https://login.microsoftonline.com/${tenant}/v2.0` })).to.equal('issuer_invalid');
      });

      it("sends step-up to the cloud's own authorize endpoint", async () => {
        const refused = await get(
          `${app.url}/cloud/stepped-up`,
          bearer(emulator.mintAccessToken({ claims: { iss: `${cloud.authority}/${tenant}/v2.0` } })),
        );
        expect(refused.status).to.equal(401);
        expect(refused.headers['www-authenticate']).to.contain(
          `authorization_uri="${cloud.authority}/${tenant}/oauth2/v2.0/authorize"`,
        );
      });

      it('names the cloud as the authorization server of its protected resource metadata', async () => {
        const withMetadata = await withApp({
          controllers: [],
          sharing: base,
          settings: {
            jwksUrlTemplate: `${cloud.authority}/{}/v2.0/.well-known/openid-configuration`,
            resourceUrl: 'https://api.contoso.example',
          },
          mount: (container) => serveProtectedResourceMetadata(container),
        });
        try {
          const metadata = await get(`${withMetadata.url}/.well-known/oauth-protected-resource`);
          expect(metadata.json.authorization_servers).to.deep.equal([`${cloud.authority}/${tenant}/v2.0`]);
        } finally {
          await withMetadata.close();
        }
      });
    });
  }
});
