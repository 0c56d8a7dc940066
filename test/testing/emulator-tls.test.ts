import { expect } from 'chai';
import {
  ClaimsGroupsProvider,
  ClaimsPermissionsProvider,
  EntraIdProvider,
  InMemorySharedStore,
  JwksCache,
  NodeHttpClient,
  RevocationList,
  loadSettings,
  type Settings,
} from '../../src';
import { EntraEmulator, ManualClock } from '../../src/testing';
import { createSelfSignedCertificate } from '../support/certificate';

describe('Emulator over HTTPS: with a key and certificate it serves the same authority at an https URL', () => {
  const clock = new ManualClock();
  const caches: JwksCache[] = [];
  let emulator: EntraEmulator;
  let settings: Settings;
  let ca: string;

  before(async () => {
    const certificate = createSelfSignedCertificate();
    ca = certificate.cert;
    emulator = await EntraEmulator.start({ clock, tls: certificate });
    settings = loadSettings(
      {
        tenantId: emulator.tenants.primary.id,
        audiences: [emulator.apiClientId],
        jwksUrlTemplate: emulator.jwksUrlTemplate,
      },
      {},
    );
  });
  after(async () => {
    caches.forEach((cache) => cache.close());
    await emulator.close();
  });

  const keyCache = (client: NodeHttpClient): JwksCache => {
    const cache = new JwksCache(settings, client, clock);
    caches.push(cache);
    return cache;
  };

  it('publishes https URLs and issuers, and its tokens verify through a client trusting its certificate', async () => {
    expect(emulator.baseUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.issuer('2.0')).to.match(/^https:\/\//);
    const cache = keyCache(new NodeHttpClient({ ca }));
    const provider = new EntraIdProvider(
      settings,
      cache,
      clock,
      new ClaimsGroupsProvider(),
      new ClaimsPermissionsProvider(),
      new RevocationList(settings, new InMemorySharedStore(clock), clock),
    );
    const verified = await provider.verifyToken(emulator.mintAccessToken());
    expect(verified.claims.iss).to.equal(emulator.issuer('2.0'));
  });

  it('is refused by a client that does not trust its certificate (keys_unavailable)', async () => {
    const error = await keyCache(new NodeHttpClient())
      .loadJwks('2.0')
      .then(
        () => expect.fail('expected the TLS handshake to fail'),
        (failure: unknown) => failure,
      );
    expect((error as { reason?: string }).reason).to.equal('keys_unavailable');
  });
});
