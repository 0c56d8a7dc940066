import { expect } from 'chai';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { container as rootContainer } from 'tsyringe';
import {
  Clock,
  ConfigurationError,
  EntraIdProvider,
  GroupsProvider,
  HttpClient,
  JwksCache,
  Logger,
  NodeHttpClient,
  ProcessWarningLogger,
  PermissionsProvider,
  registerEntraAuth,
  type EntraIdClaims,
} from '../../src';
import { withApp } from '../support/app';
import { bearer, get } from '../support/http';

const EMULATED = {
  tenantId: '8a0d2d0c-2c0e-4d5e-9a3b-6f4e1c2b7d90',
  audiences: ['6e3f8d1a-5b2c-4f7e-8a9d-0c1b2e3f4a5b'],
};

class NamedGroupsProvider implements GroupsProvider {
  async fetchGroups(_claims: EntraIdClaims): Promise<readonly string[]> {
    return ['Readers'];
  }
}

@JsonController('/late')
class ReadersController {
  @Authorized(['Readers'])
  @Get('/readers')
  readers() {
    return { ok: true };
  }
}

function refusal(register: () => unknown): string {
  try {
    register();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems.join('\n');
  }
  expect.fail('expected the registration to throw a ConfigurationError');
}

describe('Container: a provider registered once EntraIdProvider is built throws, instead of being silently ignored', () => {
  it('a GroupsProvider registered after useEntraAuth throws a ConfigurationError saying to register it before', async () => {
    const app = await withApp({ controllers: [ReadersController], settings: { groupNamesInTokens: true } });
    try {
      const problem = refusal(() => app.container.register(GroupsProvider, { useClass: NamedGroupsProvider }));
      expect(problem).to.contain('GroupsProvider was registered after this container built EntraIdProvider');
      expect(problem).to.contain('register it after registerEntraAuth and before useEntraAuth');
      // The app still runs on the provider registered before: the default one, which reads the claim.
      expect((await get(`${app.url}/late/readers`, bearer(app.emulator.mintAccessToken()))).status).to.equal(403);
    } finally {
      await app.close();
    }
  });

  it('the same for PermissionsProvider, Clock, HttpClient and Logger, through register, registerInstance and registerSingleton', () => {
    const container = registerEntraAuth(rootContainer.createChildContainer(), { settings: EMULATED, env: {} });
    container.resolve(EntraIdProvider);
    try {
      expect(
        refusal(() => container.registerInstance(PermissionsProvider, { fetchPermissions: async () => [] })),
      ).to.contain('PermissionsProvider was registered after');
      expect(
        refusal(() => container.register(Clock, { useValue: { now: () => 0, schedule: () => ({ cancel() {} }) } })),
      ).to.contain('Clock was registered after');
      expect(refusal(() => container.registerSingleton(HttpClient, NodeHttpClient))).to.contain(
        'HttpClient was registered after',
      );
      expect(refusal(() => container.registerInstance(Logger, new ProcessWarningLogger()))).to.contain(
        'Logger was registered after',
      );
      // Anything else registers as before.
      container.register('app-name', { useValue: 'orders' });
      expect(container.resolve('app-name')).to.equal('orders');
    } finally {
      container.resolve(JwksCache).close();
    }
  });

  it('a GroupsProvider registered after registerEntraAuth and before useEntraAuth is the one the app uses', async () => {
    const app = await withApp({
      controllers: [ReadersController],
      settings: { groupNamesInTokens: true },
      configure: (container) => container.register(GroupsProvider, { useClass: NamedGroupsProvider }),
    });
    try {
      expect((await get(`${app.url}/late/readers`, bearer(app.emulator.mintAccessToken()))).status).to.equal(200);
    } finally {
      await app.close();
    }
  });
});
