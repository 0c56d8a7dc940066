import { expect } from 'chai';
import {
  Authorized,
  CurrentUser,
  Get,
  JsonController,
  Post,
  UseAfter,
  UseBefore,
  type Action,
} from 'routing-controllers';
import { inject, injectable } from 'tsyringe';
import {
  ConfigurationError,
  GroupsProvider,
  HttpClient,
  NodeHttpClient,
  MissingTokenException,
  PermissionsProvider,
  parseRequirement,
  Settings,
  type EntraIdClaims,
  type EntraIdUser,
} from '../../src';
import {
  authorizationChecker,
  requireAuthorized,
  requireGroups,
  requirePermissions,
  requireRoles,
  requireScopes,
  requireUser,
} from '../../src/routing-controllers';
import { primaryTenant, secondaryTenant, type EntraEmulator } from '../../src/testing';
import { startupProblems, withApp, type TestApp } from '../support/app';
import { bearer, get } from '../support/http';

const ADMINISTRATORS = '02b919c6-38a0-4002-8615-b80dc502181f';

@JsonController('/authorized')
class AuthorizedController {
  @Authorized()
  @Get('/any-user')
  anyUser(@CurrentUser() user: EntraIdUser) {
    return { id: user.id, tenantId: user.tenantId };
  }

  @Authorized([ADMINISTRATORS.toUpperCase()])
  @Get('/group-by-id')
  groupById() {
    return { ok: true };
  }

  @Authorized(['Administrators'])
  @Get('/group-by-name')
  groupByName() {
    return { ok: true };
  }

  @Authorized(['role:Reports.Read'])
  @Get('/role')
  role() {
    return { ok: true };
  }

  @Authorized(['scope:Files.Read'])
  @Get('/scope')
  scope() {
    return { ok: true };
  }

  @Authorized(['permission:Tenant.Read.All'])
  @Get('/permission')
  permission() {
    return { ok: true };
  }

  @Authorized(['group:' + ADMINISTRATORS, 'role:Reports.Read'])
  @Get('/group-or-role')
  groupOrRole() {
    return { ok: true };
  }
}

@Authorized(['role:Class.Role'])
@JsonController('/merged')
class MergedController {
  @Authorized(['role:Method.Role'])
  @Get('/method')
  method() {
    return { ok: true };
  }

  @Get('/class-only')
  classOnly() {
    return { ok: true };
  }
}

@JsonController('/guarded')
class GuardedController {
  @UseBefore(requireUser())
  @Get('/user')
  user() {
    return { ok: true };
  }

  @UseBefore(requireGroups([ADMINISTRATORS]))
  @Get('/groups')
  groups() {
    return { ok: true };
  }

  @UseBefore(requireRoles(['Reports.Read']))
  @Get('/roles')
  roles() {
    return { ok: true };
  }

  @UseBefore(requireScopes(['access_as_user']))
  @Get('/scopes')
  scopes() {
    return { ok: true };
  }

  @UseBefore(requirePermissions(['Tenant.Read.All']))
  @Get('/permissions')
  permissions() {
    return { ok: true };
  }
}

describe('Authorization: @Authorized, prefixes, class and method lists, guards', () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    // group-by-name stands for a tenant that emits group names.
    app = await withApp({
      controllers: [AuthorizedController, MergedController, GuardedController],
      settings: { groupNamesInTokens: true },
    });
    emulator = app.emulator;
  });
  after(() => app.close());

  const status = async (path: string, token?: string): Promise<number> =>
    (await get(`${app.url}${path}`, token ? bearer(token) : {})).status;

  describe('@Authorized() and @Authorized([...]), with and without a token', () => {
    it('@Authorized(): any verified user, 401 without a token', async () => {
      expect(await status('/authorized/any-user', emulator.mintAccessToken())).to.equal(200);
      expect(await status('/authorized/any-user', emulator.mintAccessToken({ appOnly: true }))).to.equal(200);
      expect(await status('/authorized/any-user')).to.equal(401);
    });

    it('@Authorized([group]): 200 for a member, 403 for a non-member, 401 without a token', async () => {
      expect(
        await status('/authorized/group-by-id', emulator.mintAccessToken({ user: emulator.users.administrator })),
      ).to.equal(200);
      expect(await status('/authorized/group-by-id', emulator.mintAccessToken())).to.equal(403);
      expect(await status('/authorized/group-by-id')).to.equal(401);
    });
  });

  describe('entries: a bare entry is a group; group:, role:, scope:, permission: name the kind', () => {
    it('compares group object ids case-insensitively', async () => {
      expect(await status('/authorized/group-by-id', emulator.mintAccessToken({ groups: [ADMINISTRATORS] }))).to.equal(
        200,
      );
    });

    it('compares a group name exactly with the claim, for tenants that emit names', async () => {
      expect(
        await status('/authorized/group-by-name', emulator.mintAccessToken({ groups: ['Administrators'] })),
      ).to.equal(200);
      expect(
        await status('/authorized/group-by-name', emulator.mintAccessToken({ groups: ['administrators'] })),
      ).to.equal(403);
      expect(
        await status('/authorized/group-by-name', emulator.mintAccessToken({ groups: [ADMINISTRATORS] })),
      ).to.equal(403);
    });

    it('role: matches the roles claim only', async () => {
      expect(await status('/authorized/role', emulator.mintAccessToken({ roles: ['Reports.Read'] }))).to.equal(200);
      const refused = await get(
        `${app.url}/authorized/role`,
        bearer(emulator.mintAccessToken({ scopes: ['Reports.Read'] })),
      );
      expect([refused.status, refused.json.error, refused.json.reason]).to.deep.equal([
        403,
        'forbidden',
        'insufficient_roles',
      ]);
    });

    it('scope: matches the scp claim only, and its refusal is insufficient_scope', async () => {
      expect(await status('/authorized/scope', emulator.mintAccessToken({ scopes: ['Files.Read'] }))).to.equal(200);
      const refused = await get(
        `${app.url}/authorized/scope`,
        bearer(emulator.mintAccessToken({ roles: ['Files.Read'] })),
      );
      expect([refused.status, refused.json.error]).to.deep.equal([403, 'insufficient_scope']);
    });

    it('permission: matches the permissions provider (default roles and scopes)', async () => {
      expect(await status('/authorized/permission', emulator.mintAccessToken({ appOnly: true }))).to.equal(200);
      expect(
        await status('/authorized/permission', emulator.mintAccessToken({ scopes: ['Tenant.Read.All'] })),
      ).to.equal(200);
      expect(await status('/authorized/permission', emulator.mintAccessToken())).to.equal(403);
    });

    it('passes with ANY entry of the list', async () => {
      expect(await status('/authorized/group-or-role', emulator.mintAccessToken({ roles: ['Reports.Read'] }))).to.equal(
        200,
      );
      expect(
        await status('/authorized/group-or-role', emulator.mintAccessToken({ groups: [ADMINISTRATORS] })),
      ).to.equal(200);
      expect(await status('/authorized/group-or-role', emulator.mintAccessToken())).to.equal(403);
    });

    it('grants by role without asking for groups, so a groups overage does not matter then', async () => {
      const overage = { groups: [], roles: ['Reports.Read'], claims: { hasgroups: true } };
      expect(await status('/authorized/group-or-role', emulator.mintAccessToken(overage))).to.equal(200);
    });

    it('asks an anonymous caller to authenticate before judging a list that slipped past the startup check', async () => {
      const anonymous = { context: { state: {} } } as unknown as Action;
      try {
        await authorizationChecker(anonymous, ['admin:x']);
        expect.fail('expected a refusal');
      } catch (error) {
        expect(error).to.be.instanceOf(MissingTokenException);
      }
    });

    it('refuses an unknown prefix at startup, naming the route', async () => {
      @JsonController('/typo')
      class TypoController {
        @Authorized(['admin:Everything', 'group:'])
        @Get('/route')
        route() {
          return {};
        }
      }
      const problems = await startupProblems(() => withApp({ controllers: [TypoController], sharing: app }));
      expect(problems).to.have.length(2);
      expect(problems[0]).to.equal(
        '@Authorized on GET /typo/route (TypoController.route): "admin:Everything": unknown prefix "admin:" (use group:, role:, scope:, permission:, authContext:, guest: or app:, or a bare group)',
      );
      expect(problems[1]).to.contain('"group:": empty group');
    });

    it('refuses whitespace inside a role, scope or permission, and around a group, at startup, naming the route', async () => {
      @JsonController('/spaced')
      class SpacedController {
        @Authorized([
          'role: Admin',
          'permission:Orders.Write ',
          'scope:Files.Read\t',
          'group: Administrators',
          'Administrators ',
          'role:Report Reader',
        ])
        @Get('/route')
        route() {
          return {};
        }

        @Authorized(['Sales Managers', `group:${ADMINISTRATORS}`])
        @Get('/inner-space')
        innerSpace() {
          return {};
        }
      }
      const problems = await startupProblems(() =>
        withApp({
          controllers: [SpacedController],
          settings: { groupAliases: { 'Sales Managers': ADMINISTRATORS } },
          sharing: app,
        }),
      );
      const route = '@Authorized on GET /spaced/route (SpacedController.route)';
      expect(problems).to.deep.equal([
        `${route}: "role: Admin": a role holds no whitespace`,
        `${route}: "permission:Orders.Write ": a permission holds no whitespace`,
        `${route}: "scope:Files.Read\t": a scope holds no whitespace`,
        `${route}: "group: Administrators": a group holds no whitespace at either end, and only single spaces inside`,
        `${route}: "Administrators ": a group holds no whitespace at either end, and only single spaces inside`,
        `${route}: "role:Report Reader": a role holds no whitespace`,
      ]);
    });

    it('refuses entries that can match nobody unseen: invisible characters, a role outside printable ASCII, a spaced prefix, a doubled space', () => {
      for (const entry of [
        'role:Ad\u200bmin',
        'role:Ad\u00admin',
        'role:\u0410dmin',
        'scope:Files\u200b.Read',
        'role :Admin',
        'scope\t:x',
        'group:Domain  Admins',
      ]) {
        expect(parseRequirement(entry), JSON.stringify(entry)).to.be.a('string');
      }
      for (const entry of ['role:Admin', 'role:Tenant.Read.All', 'Domain Admins', 'permission:Orders.Write']) {
        expect(parseRequirement(entry), entry).to.be.an('object');
      }
    });

    it('refuses a bare entry holding a colon, a semicolon or a look-alike: a mistyped prefix must not become a group and drop a condition', () => {
      for (const entry of [
        'authContext\uff1ac1',
        'authContext\u2236c1',
        'authContext;c1',
        '\u0430pp:only',
        '1app:only',
        'app\ua789delegated',
        'guest\ufe55allow',
        // Separators no list of look-alikes names: a kind's name then anything but a letter, digit, space, - or _.
        'authContext\ua4fdc1',
        'authContext\u0903c1',
        'authContext\u2982c1',
        'authContext=c1',
        'app.only',
        // A Cyrillic а before a separator no list names.
        '\u0430pp\ua4fdonly',
      ]) {
        const problem = parseRequirement(entry);
        expect(problem, JSON.stringify(entry)).to.be.a('string').that.includes('write group:<name>');
      }
      expect(parseRequirement('group:Sales;EMEA'), 'an explicit group may').to.deep.equal({
        kind: 'group',
        value: 'Sales;EMEA',
      });
      for (const name of [
        'Domain Admins',
        'app-admins',
        'guest_users',
        'CONTOSO\\Sales',
        'Roles (EMEA)',
        'Группа Продаж',
        'Ünïcödé Grüppe',
        'application',
      ]) {
        expect(parseRequirement(name), name).to.deep.equal({ kind: 'group', value: name });
      }
      expect(() => requireAuthorized(['role:Reports.Read', 'authContext\uff1ac1'])).to.throw(
        ConfigurationError,
        /write group:<name>/,
      );
    });

    it('refuses whitespace in guard values the same way, when the decorator is evaluated', () => {
      for (const make of [
        () => requireRoles([' Admin']),
        () => requireScopes(['Files.Read ']),
        () => requirePermissions(['Orders\nWrite']),
        () => requireGroups(['Administrators\t']),
        () => requireGroups([' Administrators']),
        () => requireGroups(['Sales\tManagers']),
      ]) {
        expect(make).to.throw(ConfigurationError);
      }
      expect(() => requireGroups(['Sales Managers'])).to.not.throw();
    });
  });

  describe('class and method lists: routing-controllers merges them, so a method list widens the class list', () => {
    it('accepts the class role or the method role on a method with its own list', async () => {
      expect(await status('/merged/method', emulator.mintAccessToken({ roles: ['Class.Role'] }))).to.equal(200);
      expect(await status('/merged/method', emulator.mintAccessToken({ roles: ['Method.Role'] }))).to.equal(200);
      expect(await status('/merged/method', emulator.mintAccessToken({ roles: ['Other'] }))).to.equal(403);
    });

    it('applies the class list alone to methods without one', async () => {
      expect(await status('/merged/class-only', emulator.mintAccessToken({ roles: ['Class.Role'] }))).to.equal(200);
      expect(await status('/merged/class-only', emulator.mintAccessToken({ roles: ['Method.Role'] }))).to.equal(403);
    });
  });

  describe('base classes: routing-controllers drops their @Authorized and guards on inherited routes, so that is a startup error', () => {
    class ProtectedBase {
      @Authorized(['role:Admin'])
      @Get('/by-decorator')
      byDecorator() {
        return { secret: true };
      }

      @UseBefore(requireRoles(['Admin']))
      @Get('/by-guard')
      byGuard() {
        return { secret: true };
      }
    }

    @Authorized()
    class ProtectedAtClassLevel {
      @Get('/by-class')
      byClass() {
        return { secret: true };
      }
    }

    it('refuses to start a controller inheriting protected routes without repeating the protection, naming each route', async () => {
      @JsonController('/inherits')
      class InheritsProtection extends ProtectedBase {}
      @JsonController('/inherits-class')
      class InheritsClassProtection extends ProtectedAtClassLevel {}

      const problems = await startupProblems(() =>
        withApp({ sharing: app, controllers: [InheritsProtection, InheritsClassProtection] }),
      );
      expect(problems).to.have.length(3);
      expect(problems[0]).to.match(
        /^@Authorized of ProtectedBase is not applied to GET \/inherits\/by-decorator \(InheritsProtection.byDecorator\)/,
      );
      expect(problems[1]).to.match(
        /^@UseBefore\/@UseAfter of ProtectedBase is not applied to GET \/inherits\/by-guard /,
      );
      expect(problems[2]).to.match(
        /^@Authorized of ProtectedAtClassLevel is not applied to GET \/inherits-class\/by-class /,
      );
    });

    it("refuses to start a controller whose own routes lose a base class's class-level @Authorized or guard", async () => {
      @Authorized(['role:Admin'])
      class AdminBase {}
      @UseBefore(requireRoles(['Admin']))
      class GuardedBase {}
      @JsonController('/reports')
      class Reports extends AdminBase {
        @Get('/')
        list() {
          return { reports: [] };
        }
      }
      @JsonController('/exports')
      class Exports extends GuardedBase {
        @Get('/')
        list() {
          return { exports: [] };
        }
      }

      const problems = await startupProblems(() => withApp({ sharing: app, controllers: [Reports, Exports] }));
      expect(problems).to.have.length(2);
      expect(problems[0]).to.match(/^@Authorized of AdminBase is not applied to GET \/reports\/ \(Reports.list\)/);
      expect(problems[1]).to.match(
        /^@UseBefore\/@UseAfter of GuardedBase is not applied to GET \/exports\/ \(Exports.list\)/,
      );
    });

    it('starts when the controller repeats the protection, and the inherited route is then protected', async () => {
      @Authorized(['role:Admin'])
      @UseBefore(requireRoles(['Admin']))
      @JsonController('/repeats')
      class RepeatsProtection extends ProtectedBase {}

      const repeating = await withApp({ sharing: app, controllers: [RepeatsProtection] });
      try {
        expect((await get(`${repeating.url}/repeats/by-decorator`)).status).to.equal(401);
        expect((await get(`${repeating.url}/repeats/by-guard`)).status).to.equal(401);
        const admin = emulator.mintAccessToken({ appOnly: true, roles: ['Admin'] });
        expect((await get(`${repeating.url}/repeats/by-decorator`, bearer(admin))).status).to.equal(200);
      } finally {
        await repeating.close();
      }
    });
  });

  describe('guards in @UseAfter run after the handler, so they are a startup error', () => {
    it('names the guard and the route', async () => {
      @JsonController('/after')
      class GuardedAfter {
        @UseAfter(requireRoles(['Admin']))
        @Post('/delete')
        remove() {
          return { deleted: true };
        }
      }
      const problems = await startupProblems(() => withApp({ sharing: app, controllers: [GuardedAfter] }));
      expect(problems).to.deep.equal([
        'requireRoles in @UseAfter on POST /after/delete (GuardedAfter.remove): it would run after the handler; use @UseBefore',
      ]);
    });
  });

  describe('guards for @UseBefore', () => {
    it('requireUser: any verified user, 401 without a token', async () => {
      expect(await status('/guarded/user', emulator.mintAccessToken())).to.equal(200);
      expect(await status('/guarded/user')).to.equal(401);
    });

    it('requireGroups, requireRoles, requireScopes, requirePermissions: ANY of the values', async () => {
      expect(
        await status('/guarded/groups', emulator.mintAccessToken({ user: emulator.users.administrator })),
      ).to.equal(200);
      expect(await status('/guarded/groups', emulator.mintAccessToken())).to.equal(403);
      expect(await status('/guarded/roles', emulator.mintAccessToken({ roles: ['Reports.Read'] }))).to.equal(200);
      expect(await status('/guarded/roles', emulator.mintAccessToken())).to.equal(403);
      expect(await status('/guarded/scopes', emulator.mintAccessToken())).to.equal(200);
      expect(await status('/guarded/scopes', emulator.mintAccessToken({ appOnly: true }))).to.equal(403);
      expect(await status('/guarded/permissions', emulator.mintAccessToken({ appOnly: true }))).to.equal(200);
      expect(await status('/guarded/permissions', emulator.mintAccessToken())).to.equal(403);
    });

    it('refuse an empty or malformed value when the decorator is evaluated', () => {
      expect(() => requireGroups([])).to.throw(ConfigurationError);
      expect(() => requireScopes(['has space'])).to.throw(ConfigurationError);
    });
  });
});

@injectable()
class DirectoryGroupsProvider implements GroupsProvider {
  static calls = 0;
  async fetchGroups(claims: EntraIdClaims): Promise<readonly string[]> {
    DirectoryGroupsProvider.calls++;
    return claims.oid === '555804f9-2fa0-46b9-972c-a6d18730fc59' ? ['Administrators'] : ['Everyone'];
  }
}

@injectable()
class OrderPermissionsProvider implements PermissionsProvider {
  async fetchPermissions(claims: EntraIdClaims): Promise<readonly string[]> {
    return claims.scp === 'access_as_user' ? ['orders:write'] : [];
  }
}

@JsonController('/custom')
class CustomProvidersController {
  @Authorized(['Administrators'])
  @Get('/administrators')
  administrators() {
    return { ok: true };
  }

  @Authorized(['permission:orders:write'])
  @Get('/orders')
  orders() {
    return { ok: true };
  }
}

@injectable()
@JsonController('/whoami')
class TenantSettingsController {
  constructor(@inject(Settings) private readonly settings: Settings) {}

  @Authorized()
  @Get('/')
  whoami(@CurrentUser() user: EntraIdUser) {
    return { configuredTenant: this.settings.tenantId, callerTenant: user.tenantId };
  }
}

describe('Container: the composition root, custom providers, and two apps in one process', () => {
  it('fetches keys through an HttpClient registered with container.register (proxies, custom CAs)', async () => {
    const fetched: string[] = [];
    const inner = new NodeHttpClient();
    const recording: HttpClient = {
      get: (url, options) => {
        fetched.push(new URL(url).pathname);
        return inner.get(url, options);
      },
    };
    const app = await withApp({
      controllers: [TenantSettingsController],
      configure: (container) => container.register(HttpClient, { useValue: recording }),
    });
    try {
      expect((await get(`${app.url}/whoami`, bearer(app.emulator.mintAccessToken()))).status).to.equal(200);
      expect(fetched).to.deep.equal([
        `/${app.emulator.tenants.primary.id}/v2.0/.well-known/openid-configuration`,
        `/${app.emulator.tenants.primary.id}/discovery/v2.0/keys`,
      ]);
    } finally {
      await app.close();
    }
  });

  it('follows a GroupsProvider and a PermissionsProvider registered with container.register', async () => {
    const app = await withApp({
      controllers: [CustomProvidersController],
      // DirectoryGroupsProvider answers group names.
      settings: { groupNamesInTokens: true },
      configure: (container) => {
        container.register(GroupsProvider, { useClass: DirectoryGroupsProvider });
        container.register(PermissionsProvider, { useClass: OrderPermissionsProvider });
      },
    });
    try {
      DirectoryGroupsProvider.calls = 0;
      const admin = app.emulator.mintAccessToken({ user: app.emulator.users.administrator, groups: [] });
      expect((await get(`${app.url}/custom/administrators`, bearer(admin))).status).to.equal(200);
      expect((await get(`${app.url}/custom/administrators`, bearer(app.emulator.mintAccessToken()))).status).to.equal(
        403,
      );
      expect(DirectoryGroupsProvider.calls).to.equal(2);
      expect((await get(`${app.url}/custom/orders`, bearer(app.emulator.mintAccessToken()))).status).to.equal(200);
      expect(
        (await get(`${app.url}/custom/orders`, bearer(app.emulator.mintAccessToken({ appOnly: true })))).status,
      ).to.equal(403);
    } finally {
      await app.close();
    }
  });

  it('AUTH_MIDDLEWARE_DISABLED=true: every request is the synthetic local user, announced by a process warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const app = await withApp({
      controllers: [TenantSettingsController],
      settings: { middlewareDisabled: true },
    });
    try {
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => (warning as Error & { code?: string }).code)).to.include('ENTRA_AUTH_DISABLED');
      const answer = await get(`${app.url}/whoami`);
      expect(answer.status).to.equal(200);
      expect(answer.json.callerTenant).to.equal('00000000-0000-0000-0000-000000000000');
    } finally {
      process.off('warning', onWarning);
      await app.close();
    }
  });

  it('AUTH_MIDDLEWARE_DISABLED=true without a tenant or an audience: the app starts, serves the synthetic user and asks no authority for anything', async () => {
    const requested: string[] = [];
    const refusing: HttpClient = {
      get: async (url) => {
        requested.push(url);
        throw new Error('no request expected with authentication disabled');
      },
    };
    const app = await withApp({
      controllers: [TenantSettingsController],
      settings: { tenantId: undefined, audiences: undefined, middlewareDisabled: true },
      configure: (container) => container.register(HttpClient, { useValue: refusing }),
    });
    try {
      const synthetic = '00000000-0000-0000-0000-000000000000';
      for (const headers of [{}, bearer(app.emulator.mintAccessToken())]) {
        const answer = await get(`${app.url}/whoami`, headers);
        expect([answer.status, answer.json]).to.deep.equal([
          200,
          { configuredTenant: synthetic, callerTenant: synthetic },
        ]);
      }
      expect(requested).to.deep.equal([]);
    } finally {
      await app.close();
    }
  });

  it('keeps two apps with different settings apart: keys, tenants and controllers resolved per app', async () => {
    const first = await withApp({
      controllers: [TenantSettingsController],
      settings: { tenantId: primaryTenant.id },
    });
    const second = await withApp({
      controllers: [TenantSettingsController],
      settings: { tenantId: secondaryTenant.id },
      sharing: first,
    });
    try {
      const { emulator } = first;
      const { primary, secondary } = emulator.tenants;
      const primaryToken = emulator.mintAccessToken({ tenantId: primary.id });
      const secondaryToken = emulator.mintAccessToken({ tenantId: secondary.id });
      const firstAnswer = await get(`${first.url}/whoami`, bearer(primaryToken));
      const secondAnswer = await get(`${second.url}/whoami`, bearer(secondaryToken));
      expect(firstAnswer.json).to.deep.equal({ configuredTenant: primary.id, callerTenant: primary.id });
      expect(secondAnswer.json).to.deep.equal({ configuredTenant: secondary.id, callerTenant: secondary.id });
      expect((await get(`${first.url}/whoami`, bearer(secondaryToken))).json.reason).to.equal('issuer_invalid');
      expect((await get(`${second.url}/whoami`, bearer(primaryToken))).json.reason).to.equal('issuer_invalid');
      expect(first.container.resolve(Settings)).to.not.equal(second.container.resolve(Settings));
    } finally {
      await second.close();
      await first.close();
    }
  });
});
