import { expect } from 'chai';
import { EntraIdProvider, ClaimsGroupsProvider, ClaimsPermissionsProvider, JwksCache, NodeHttpClient, loadSettings } from '../src';
import { EntraEmulator, ManualClock } from '../src/testing';
import { createSelfSignedCertificate } from './support/self-signed-certificate';

describe('Emulator over HTTPS: with a key and certificate it serves the same authority at an https URL', () => {
  let emulator: EntraEmulator;
  let cache: JwksCache;
  let ca: string;
  const clock = new ManualClock();

  before(async () => {
    const certificate = createSelfSignedCertificate();
    ca = certificate.cert;
    emulator = await EntraEmulator.start({ clock, tls: certificate });
  });
  after(async () => {
    cache?.close();
    await emulator.close();
  });

  it('publishes https URLs and issuers, and its tokens verify through a client trusting its certificate', async () => {
    expect(emulator.baseUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.issuer('2.0')).to.match(/^https:\/\//);
    const settings = loadSettings(
      { tenantId: emulator.tenants.primary.id, audiences: [emulator.apiClientId], jwksUrlTemplate: emulator.jwksUrlTemplate },
      {},
    );
    cache = new JwksCache(settings, new NodeHttpClient({ ca }), clock);
    const provider = new EntraIdProvider(settings, cache, clock, new ClaimsGroupsProvider(), new ClaimsPermissionsProvider());
    const verified = await provider.verifyToken(emulator.mintAccessToken());
    expect(verified.claims.iss).to.equal(emulator.issuer('2.0'));
  });

  it('is refused by a client that does not trust its certificate (keys_unavailable)', async () => {
    const settings = loadSettings(
      { tenantId: emulator.tenants.primary.id, audiences: [emulator.apiClientId], jwksUrlTemplate: emulator.jwksUrlTemplate },
      {},
    );
    const untrusting = new JwksCache(settings, new NodeHttpClient(), clock);
    try {
      await untrusting.loadJwks('2.0').then(
        () => expect.fail('expected the TLS handshake to fail'),
        (error: unknown) => expect((error as { reason?: string }).reason).to.equal('keys_unavailable'),
      );
    } finally {
      untrusting.close();
    }
  });
});
