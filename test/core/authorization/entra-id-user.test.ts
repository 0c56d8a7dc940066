import { expect } from 'chai';
import {
  AuthorizationException,
  ClaimsGroupsProvider,
  ClaimsPermissionsProvider,
  EntraIdProvider,
  type EntraIdClaims,
  type GroupsProvider,
  type PermissionsProvider,
} from '../../../src';
import { startHarness, type Harness } from '../../support/harness';

describe('The user: EntraIdUser from verified claims, groups and permissions from their providers', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  async function userFor(options: Parameters<Harness['emulator']['mintAccessToken']>[0] = {}) {
    const verified = await harness.provider.verifyToken(harness.emulator.mintAccessToken(options));
    return harness.provider.createUserFromToken(verified);
  }

  it('maps a v2 delegated token: id from oid, name, email, tenant, roles, scopes, client from azp', async () => {
    const { emulator } = harness;
    const user = await userFor({
      user: emulator.users.administrator,
      roles: ['Reports.Read'],
      scopes: ['access_as_user', 'Files.Read'],
    });
    expect(user.id).to.equal(emulator.users.administrator.oid);
    expect(user.name).to.equal('Adele Admin');
    expect(user.email).to.equal('adele@contoso.example');
    expect(user.tenantId).to.equal(emulator.tenants.primary.id);
    expect(user.roles).to.deep.equal(['Reports.Read']);
    expect(user.scopes).to.deep.equal(['access_as_user', 'Files.Read']);
    expect(user.isAppOnly).to.equal(false);
    expect(user.clientId).to.equal(emulator.clientAppId);
    expect(await user.groups).to.deep.equal([emulator.groups.administrators]);
    expect(await user.permissions).to.deep.equal(['Reports.Read', 'access_as_user', 'Files.Read']);
  });

  it('maps a v1 token: client from appid, email from upn', async () => {
    const user = await userFor({ version: '1.0' });
    expect(user.clientId).to.equal(harness.emulator.clientAppId);
    expect(user.email).to.equal(harness.emulator.users.member.upn);
    expect(user.name).to.equal('Megan Member');
  });

  it('names the client by the claim its version carries, the one rules 9 and 10 checked: never azp in a v1 token, appid in a v2 one', async () => {
    const other = '0e5f0ea0-1f09-4c6c-a6e6-6a7b1f1b3c99';
    expect((await userFor({ version: '1.0', claims: { azp: other } })).clientId).to.equal(harness.emulator.clientAppId);
    expect((await userFor({ version: '2.0', claims: { appid: other } })).clientId).to.equal(
      harness.emulator.clientAppId,
    );
  });

  it('takes email from email, else preferred_username, else upn, else unique_name', async () => {
    const base = { email: undefined, preferred_username: undefined, upn: undefined, unique_name: undefined };
    expect(
      (await userFor({ claims: { ...base, email: 'a@x', preferred_username: 'b@x', upn: 'c@x', unique_name: 'd@x' } }))
        .email,
    ).to.equal('a@x');
    expect(
      (await userFor({ claims: { ...base, preferred_username: 'b@x', upn: 'c@x', unique_name: 'd@x' } })).email,
    ).to.equal('b@x');
    expect((await userFor({ claims: { ...base, upn: 'c@x', unique_name: 'd@x' } })).email).to.equal('c@x');
    expect((await userFor({ claims: { ...base, unique_name: 'd@x' } })).email).to.equal('d@x');
    expect((await userFor({ claims: base })).email).to.equal(undefined);
  });

  it('marks app-only tokens: idtyp app, or no scp', async () => {
    const { emulator } = harness;
    const app = await userFor({ appOnly: true });
    expect(app.isAppOnly).to.equal(true);
    expect(app.id).to.equal(emulator.clientAppServicePrincipalId);
    expect(app.scopes).to.deep.equal([]);
    expect(app.roles).to.deep.equal(['Tenant.Read.All']);
    expect(app.name).to.equal(undefined);
    expect((await userFor({ appOnly: true, claims: { idtyp: undefined } })).isAppOnly).to.equal(true);
    expect((await userFor({ roles: ['Reader'], claims: { idtyp: 'app' } })).isAppOnly).to.equal(true);
  });

  it('gives no groups when the token has no groups claim and no overage', async () => {
    expect(await (await userFor()).groups).to.deep.equal([]);
  });

  it('raises groups_overage (403), never an empty list, when the groups were left out for overage', async () => {
    const overage = {
      groups: undefined,
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: 'https://graph.windows.net/tenant/users/oid/getMemberObjects' } },
    };
    for (const claims of [overage, { groups: undefined, hasgroups: true }]) {
      const user = await userFor({ claims });
      try {
        await user.groups;
        expect.fail('expected groups_overage');
      } catch (error) {
        expect(error).to.be.instanceOf(AuthorizationException);
        expect((error as AuthorizationException).reason).to.equal('groups_overage');
        expect((error as AuthorizationException).status).to.equal(403);
      }
    }
  });

  it('keeps claims verified and frozen, deeply', async () => {
    const user = await userFor({ claims: { nested: { list: [1] } } });
    expect(Object.isFrozen(user.claims)).to.equal(true);
    expect(Object.isFrozen((user.claims.nested as { list: number[] }).list)).to.equal(true);
    expect(() => {
      (user.claims as Record<string, unknown>).oid = 'someone-else';
    }).to.throw(TypeError);
  });

  it('turns __proto__ and constructor claims into plain members without touching any prototype', async () => {
    const user = await userFor({
      claims: { ['__proto__']: { polluted: true }, constructor: { prototype: { polluted: true } } },
    });
    expect(Object.hasOwn(user.claims, '__proto__')).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(user.claims)).to.equal(Object.prototype);
  });

  it('serializes without its providers', async () => {
    const json = JSON.parse(JSON.stringify(await userFor()));
    expect(Object.keys(json).sort()).to.deep.equal(
      [
        'authContexts',
        'claims',
        'clientId',
        'email',
        'id',
        'isAppOnly',
        'isGuest',
        'name',
        'roles',
        'scopes',
        'tenantId',
      ].sort(),
    );
  });

  it('asks the injected groups and permissions providers, once per user', async () => {
    const calls: string[] = [];
    const groups: GroupsProvider = {
      async fetchGroups(claims: EntraIdClaims) {
        calls.push(`groups:${String(claims.oid)}`);
        return ['from-directory'];
      },
    };
    const permissions: PermissionsProvider = {
      async fetchPermissions() {
        calls.push('permissions');
        return ['orders:write'];
      },
    };
    const custom = new EntraIdProvider(
      harness.settings,
      harness.cache,
      harness.clock,
      groups,
      permissions,
      harness.revocations,
    );
    const user = custom.createUserFromToken(await custom.verifyToken(harness.emulator.mintAccessToken()));
    expect(await user.groups).to.deep.equal(['from-directory']);
    expect(await user.groups).to.deep.equal(['from-directory']);
    expect(await user.permissions).to.deep.equal(['orders:write']);
    expect(calls).to.deep.equal([`groups:${harness.emulator.users.member.oid}`, 'permissions']);
  });

  it('defaults: groups from the groups claim, permissions as roles and scopes without duplicates', async () => {
    const claims = Object.freeze({
      oid: harness.emulator.users.member.oid,
      tid: harness.emulator.tenants.primary.id,
      ver: '2.0',
      groups: ['g1'],
      roles: ['read', 'write'],
      scp: 'read profile',
    } as const);
    expect(await new ClaimsGroupsProvider().fetchGroups(claims)).to.deep.equal(['g1']);
    expect(await new ClaimsPermissionsProvider().fetchPermissions(claims)).to.deep.equal(['read', 'write', 'profile']);
  });
});
