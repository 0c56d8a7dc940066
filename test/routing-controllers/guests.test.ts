import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController, UseBefore } from 'routing-controllers';
import type { EntraIdUser } from '../../src';
import { requireAuthorized, requireRoles, requireUser } from '../../src/routing-controllers';
import { V1_ISSUER_ORIGIN, type EntraEmulator, type MintOptions } from '../../src/testing';
import { startupProblems, withApp, type TestApp } from '../support/app';
import { bearer, get, type HttpResult } from '../support/http';

@JsonController('/guests')
class GuestsController {
  @Authorized()
  @Get('/default')
  byDefault(@CurrentUser() user: EntraIdUser) {
    return { isGuest: user.isGuest };
  }

  @Authorized(['guest:allow'])
  @Get('/allowed')
  allowed(@CurrentUser() user: EntraIdUser) {
    return { isGuest: user.isGuest };
  }

  @Authorized(['role:Reader', 'guest:deny'])
  @Get('/denied')
  denied() {
    return { ok: true };
  }

  @UseBefore(requireUser())
  @Get('/guard-default')
  guardDefault() {
    return { ok: true };
  }

  @UseBefore(requireAuthorized(['guest:allow']))
  @Get('/guard-allowed')
  guardAllowed() {
    return { ok: true };
  }

  @UseBefore(requireRoles(['Reader']))
  @Get('/guard-role')
  guardRole() {
    return { ok: true };
  }

  @Get('/open')
  open(@CurrentUser() user?: EntraIdUser) {
    return { isGuest: user?.isGuest ?? null };
  }
}

describe('Guests: user.isGuest from acct and idp, refused by default, allowed or denied per route (guest:)', () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    app = await withApp({ controllers: [GuestsController] });
    emulator = app.emulator;
  });
  after(() => app.close());

  const call = (target: TestApp, path: string, token?: string): Promise<HttpResult> =>
    get(`${target.url}/guests${path}`, token ? bearer(token) : {});
  const isGuest = async (options: MintOptions): Promise<boolean> =>
    (await call(app, '/open', emulator.mintAccessToken(options))).json.isGuest;

  describe('who is a guest, by Entra signals', () => {
    it('acct = 1 is a guest, acct = 0 a member (the optional claim acct)', async () => {
      expect(await isGuest({ user: emulator.users.guest, acct: true })).to.equal(true);
      expect(await isGuest({ claims: { acct: 1 } })).to.equal(true);
      expect(await isGuest({ acct: true })).to.equal(false);
      expect(await isGuest({})).to.equal(false);
    });

    it('an idp naming another tenant (a B2B guest) or no tenant (a personal account, Google) is a guest, in v1 and v2 tokens', async () => {
      for (const version of ['1.0', '2.0'] as const) {
        expect(await isGuest({ version, user: emulator.users.guest }), version).to.equal(true);
        expect(await isGuest({ version, user: emulator.users.personalAccountGuest }), version).to.equal(true);
        expect(await isGuest({ version, claims: { idp: 'google.com' } }), version).to.equal(true);
      }
    });

    it("an idp that is an issuer of the token's own tenant is a member: iss itself, or Microsoft's v1 issuer of tid beside a v2 iss", async () => {
      const tenant = emulator.tenants.primary.id;
      expect(await isGuest({ version: '1.0', claims: { idp: emulator.issuer('1.0') } })).to.equal(false);
      expect(await isGuest({ version: '2.0', claims: { idp: emulator.issuer('2.0') } })).to.equal(false);
      for (const host of ['sts.windows.net', 'sts.chinacloudapi.cn']) {
        expect(await isGuest({ claims: { idp: `https://${host}/${tenant}/` } }), host).to.equal(false);
        expect(await isGuest({ claims: { idp: `https://${host}/${tenant.toUpperCase()}/` } }), host).to.equal(false);
      }
    });

    it("an idp that merely contains the tenant's GUID is a guest: a federation partner chooses its own issuer URI", async () => {
      const tenant = emulator.tenants.primary.id;
      const home = emulator.tenants.secondary.id;
      for (const idp of [
        `https://sts.partner.example/${tenant}/adfs/services/trust`,
        `https://idp.example/${tenant}/${home}`,
        `${tenant}.evil.example`,
        `https://sts.partner.example/${tenant}/`,
        `https://sts.windows.net/${tenant}/x/`,
        `https://sts.windows.net.evil.example/${tenant}/`,
        `http://sts.windows.net/${tenant}/`,
        `HTTPS://STS.WINDOWS.NET/${tenant}/`,
        `https://sts.Windows.net/${tenant}/`,
        `https://sts.windows.net/${home}/`,
      ]) {
        expect(await isGuest({ claims: { idp } }), idp).to.equal(true);
        expect(await isGuest({ version: '1.0', claims: { idp } }), idp).to.equal(true);
      }
      // The emulator's v1 issuer is this tenant's issuer only in its own v1 tokens (= iss), no
      // Microsoft issuer beside a v2 iss.
      expect(await isGuest({ claims: { idp: `${V1_ISSUER_ORIGIN}/${tenant}/` } })).to.equal(true);
    });

    it('a user token without scp is still a user: idtyp decides when present, else sub differs from oid', async () => {
      const guestWithRolesOnly = { user: emulator.users.guest, roles: ['Reader'], claims: { scp: undefined } };
      expect(await isGuest({ ...guestWithRolesOnly, claims: { scp: undefined, idtyp: 'user' } })).to.equal(true);
      expect(await isGuest(guestWithRolesOnly)).to.equal(true);
      const refused = await call(app, '/default', emulator.mintAccessToken(guestWithRolesOnly));
      expect([refused.status, refused.json.reason]).to.deep.equal([403, 'guest_not_allowed']);
    });

    it('an app-only token is never a guest, whatever its idp (v2 app tokens carry one)', async () => {
      const secondary = emulator.tenants.secondary.id;
      expect(await isGuest({ appOnly: true, claims: { idp: `${V1_ISSUER_ORIGIN}/${secondary}/` } })).to.equal(false);
      expect(await isGuest({ appOnly: true, claims: { acct: 1 } })).to.equal(false);
    });

    it('refuses an acct that is not 0 or 1, or an idp that is not a string (token_malformed)', async () => {
      for (const claims of [{ acct: '1' }, { acct: 2 }, { acct: true }, { idp: 42 }, { idp: ['live.com'] }]) {
        const response = await call(app, '/open', emulator.mintAccessToken({ claims }));
        expect([response.status, response.json.reason], JSON.stringify(claims)).to.deep.equal([401, 'token_malformed']);
      }
    });
  });

  describe('guests refused by default (ALLOW_GUESTS=false)', () => {
    it('refuses a guest on @Authorized() and on guards with 403 guest_not_allowed; members pass', async () => {
      const guest = emulator.mintAccessToken({ user: emulator.users.guest, roles: ['Reader'] });
      for (const path of ['/default', '/guard-default', '/guard-role']) {
        const refused = await call(app, path, guest);
        expect([refused.status, refused.json.error, refused.json.reason], path).to.deep.equal([
          403,
          'forbidden',
          'guest_not_allowed',
        ]);
        expect(refused.headers['www-authenticate'], path).to.equal(undefined);
      }
      const member = emulator.mintAccessToken({ roles: ['Reader'] });
      for (const path of ['/default', '/guard-default', '/guard-role']) {
        expect((await call(app, path, member)).status, path).to.equal(200);
      }
    });

    it('lets a guest in where the route says guest:allow (decorator or requireAuthorized)', async () => {
      const guest = emulator.mintAccessToken({ user: emulator.users.personalAccountGuest });
      const allowed = await call(app, '/allowed', guest);
      expect([allowed.status, allowed.json.isGuest]).to.deep.equal([200, true]);
      expect((await call(app, '/guard-allowed', guest)).status).to.equal(200);
    });

    it('leaves routes without @Authorized or a guard open to guests', async () => {
      const open = await call(app, '/open', emulator.mintAccessToken({ user: emulator.users.guest }));
      expect([open.status, open.json.isGuest]).to.deep.equal([200, true]);
    });
  });

  describe('guests allowed (ALLOW_GUESTS=true)', () => {
    it('lets guests through lists and guards that do not name guest:, and guest:deny still refuses them', async () => {
      const allowing = await withApp({
        controllers: [GuestsController],
        sharing: app,
        settings: { allowGuests: true },
      });
      try {
        const guest = emulator.mintAccessToken({ user: emulator.users.guest, roles: ['Reader'] });
        for (const path of ['/default', '/guard-default', '/guard-role']) {
          expect((await call(allowing, path, guest)).status, path).to.equal(200);
        }
        const denied = await call(allowing, '/denied', guest);
        expect([denied.status, denied.json.reason]).to.deep.equal([403, 'guest_not_allowed']);
        expect((await call(allowing, '/denied', emulator.mintAccessToken({ roles: ['Reader'] }))).status).to.equal(200);
      } finally {
        await allowing.close();
      }
    });
  });

  it('refuses a list naming guest:allow and guest:deny, or another guest: value, at startup, naming the route', async () => {
    @JsonController('/guest-typos')
    class GuestTyposController {
      @Authorized(['guest:allow', 'guest:deny'])
      @Get('/both')
      both() {
        return {};
      }

      @Authorized(['guest:yes'])
      @Get('/yes')
      yes() {
        return {};
      }
    }
    expect(await startupProblems(() => withApp({ controllers: [GuestTyposController], sharing: app }))).to.deep.equal([
      '@Authorized on GET /guest-typos/both (GuestTyposController.both): "guest:allow" and "guest:deny" contradict each other, so it admits nobody',
      '@Authorized on GET /guest-typos/yes (GuestTyposController.yes): "guest:yes": a guest entry is guest:allow or guest:deny',
    ]);
  });

  it('in an External ID tenant, only acct marks a guest: customers sign in through other identity providers', async () => {
    const external = await withApp({
      controllers: [GuestsController],
      sharing: app,
      settings: {
        tenantId: emulator.tenants.external.id,
        authorityType: 'external_id',
        jwksUrlTemplate: emulator.jwksUrlTemplate,
      },
    });
    try {
      const tenantId = emulator.tenants.external.id;
      const socialCustomer = emulator.mintAccessToken({ tenantId, claims: { idp: 'google.com' } });
      const customer = await call(external, '/default', socialCustomer);
      expect([customer.status, customer.json.isGuest]).to.deep.equal([200, false]);
      const invited = emulator.mintAccessToken({ tenantId, user: emulator.users.guest, acct: true });
      expect((await call(external, '/default', invited)).json.reason).to.equal('guest_not_allowed');
    } finally {
      await external.close();
    }
  });
});
