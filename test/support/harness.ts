import { expect } from 'chai';
import {
  ClaimsGroupsProvider,
  ClaimsPermissionsProvider,
  EntraAuthError,
  type Clock,
  EntraIdProvider,
  JwksCache,
  NodeHttpClient,
  InMemorySharedStore,
  RevocationList,
  loadSettings,
  type ReasonCode,
  type Settings,
  type SettingsInput,
} from '../../src';
import { EntraEmulator, ManualClock } from '../../src/testing';

/** A provider wired by hand (the container arrives with the integration layer) against an emulator. */
export interface Harness {
  readonly clock: ManualClock;
  readonly emulator: EntraEmulator;
  readonly provider: EntraIdProvider;
  readonly cache: JwksCache;
  readonly settings: Settings;
  /** The provider's revocation list, on a store of this process. */
  readonly revocations: RevocationList;
  close(): Promise<void>;
}

/** One emulator per test file: starting it is cheap, generating keys is not (they are pooled). */
export async function startEmulator(clock: ManualClock): Promise<EntraEmulator> {
  return EntraEmulator.start({ clock });
}

/** `revocations`: the provider's list, by default one on a store of this process. */
export function createProvider(
  emulator: EntraEmulator,
  clock: Clock,
  overrides: SettingsInput = {},
  revocations?: RevocationList,
): { provider: EntraIdProvider; cache: JwksCache; settings: Settings; revocations: RevocationList } {
  const settings = loadSettings(
    {
      tenantId: emulator.tenants.primary.id,
      audiences: [emulator.apiClientId],
      jwksUrlTemplate: emulator.jwksUrlTemplate,
      ...overrides,
    },
    {},
  );
  const cache = new JwksCache(settings, new NodeHttpClient(), clock);
  const list = revocations ?? new RevocationList(settings, new InMemorySharedStore(clock), clock);
  const provider = new EntraIdProvider(
    settings,
    cache,
    clock,
    new ClaimsGroupsProvider(),
    new ClaimsPermissionsProvider(),
    list,
  );
  return { provider, cache, settings, revocations: list };
}

export async function startHarness(overrides: SettingsInput = {}): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startEmulator(clock);
  const { provider, cache, settings, revocations } = createProvider(emulator, clock, overrides);
  return {
    clock,
    emulator,
    provider,
    cache,
    settings,
    revocations,
    async close() {
      cache.close();
      revocations.close();
      await emulator.close();
    },
  };
}

/** Asserts that a promise rejects with a library error carrying exactly this reason code. */
export async function expectRejection(promise: Promise<unknown>, reason: ReasonCode): Promise<EntraAuthError> {
  try {
    await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(EntraAuthError);
    expect((error as EntraAuthError).reason).to.equal(reason);
    return error as EntraAuthError;
  }
  expect.fail(`expected a rejection with reason ${reason}, but the promise resolved`);
}
