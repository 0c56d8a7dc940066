import { expect } from 'chai';
import { Get, JsonController } from 'routing-controllers';
import { inject, injectable } from 'tsyringe';
import { GroupsProvider, Settings, type EntraIdClaims } from '../../src';
import { startupProblems, withApp } from '../support/app';
import { bearer, get } from '../support/http';

// What tsc emits for these classes without the decorator flags is reproduced by applying the
// decorators by hand, the way that output calls them. test/examples.test.ts compiles a real app
// without the flags.

const FLAGS = /"experimentalDecorators": true and "emitDecoratorMetadata": true in tsconfig\.json/;

/** Without experimentalDecorators: standard decorators, called with (value, context). */
class StandardDecoratorsController {
  profile() {
    return { ok: true };
  }
}
const standardContext = (kind: string, name: string) => ({ kind, name, static: false, private: false }) as never;
Get('/profile')(StandardDecoratorsController.prototype.profile as never, standardContext('method', 'profile'));
(JsonController('/standard') as (...args: unknown[]) => void)(
  StandardDecoratorsController,
  standardContext('class', 'StandardDecoratorsController'),
);

class Greeter {
  greet(): string {
    return 'hello';
  }
}

/** Without emitDecoratorMetadata: legacy decorators, but no design:paramtypes. */
class NoMetadataController {
  constructor(private readonly greeter: Greeter) {}

  hello() {
    return { greeting: this.greeter.greet() };
  }
}
Get('/hello')(
  NoMetadataController.prototype,
  'hello',
  Object.getOwnPropertyDescriptor(NoMetadataController.prototype, 'hello')!,
);
JsonController('/no-metadata')(NoMetadataController);
injectable()(NoMetadataController);

/** Without emitDecoratorMetadata, but every parameter named by @inject(): tsyringe needs no types. */
class InjectedController {
  constructor(private readonly settings: Settings) {}

  tenant() {
    return { tenant: this.settings.tenantId };
  }
}
inject(Settings)(InjectedController, undefined, 0);
Get('/tenant')(
  InjectedController.prototype,
  'tenant',
  Object.getOwnPropertyDescriptor(InjectedController.prototype, 'tenant')!,
);
JsonController('/injected')(InjectedController);
injectable()(InjectedController);

/** A provider compiled without emitDecoratorMetadata (or without @injectable()). */
class DirectoryGroupsProvider implements GroupsProvider {
  constructor(private readonly directory: Greeter) {}

  async fetchGroups(_claims: EntraIdClaims): Promise<readonly string[]> {
    return [this.directory.greet()];
  }
}

@JsonController('/fine')
class FineController {
  @Get('/ok')
  ok() {
    return { ok: true };
  }
}

describe('Decorator flags: an app compiled without them fails at startup, naming both tsconfig flags', () => {
  it('without experimentalDecorators: a controller with no routes in routing-controllers metadata (every route would be 404)', async () => {
    const problems = await startupProblems(() => withApp({ controllers: [StandardDecoratorsController] }));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain("StandardDecoratorsController has no routes in routing-controllers' metadata");
    expect(problems[0]).to.match(FLAGS);
  });

  it('without emitDecoratorMetadata: a controller with constructor parameters and no design:paramtypes', async () => {
    const problems = await startupProblems(() => withApp({ controllers: [FineController, NoMetadataController] }));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain(
      'NoMetadataController takes constructor parameters but carries no design:paramtypes',
    );
    expect(problems[0]).to.match(FLAGS);
  });

  it('without emitDecoratorMetadata: a groups provider tsyringe cannot build is a ConfigurationError, not "TypeInfo not known" on a request', async () => {
    const problems = await startupProblems(() =>
      withApp({
        controllers: [FineController],
        configure: (container) => container.register(GroupsProvider, { useClass: DirectoryGroupsProvider }),
      }),
    );
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('DirectoryGroupsProvider takes constructor parameters');
    expect(problems[0]).to.contain('@injectable()');
    expect(problems[0]).to.match(FLAGS);
  });

  it('starts, and serves, when every constructor parameter is named by @inject() (no types needed) and when the flags were on', async () => {
    const app = await withApp({ controllers: [FineController, InjectedController] });
    try {
      const token = bearer(app.emulator.mintAccessToken());
      expect((await get(`${app.url}/fine/ok`, token)).status).to.equal(200);
      const tenant = await get(`${app.url}/injected/tenant`, token);
      expect(tenant.status).to.equal(200);
      expect(tenant.json).to.deep.equal({ tenant: app.emulator.tenants.primary.id });
    } finally {
      await app.close();
    }
  });
});
