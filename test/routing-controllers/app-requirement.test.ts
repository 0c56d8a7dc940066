import { expect } from 'chai';
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { requireAuthorized } from '../../src/routing-controllers';
import type { EntraEmulator } from '../../src/testing';
import { startupProblems, withApp, type TestApp } from '../support/app';
import { bearer, get, type HttpResult } from '../support/http';

@JsonController('/token-kind')
class TokenKindController {
  @Authorized(['app:only'])
  @Get('/daemons')
  daemons() {
    return { ok: true };
  }

  @Authorized(['app:only', 'role:Jobs.Run'])
  @Get('/daemons-with-role')
  daemonsWithRole() {
    return { ok: true };
  }

  @Authorized(['app:delegated'])
  @Get('/users')
  users() {
    return { ok: true };
  }

  @UseBefore(requireAuthorized(['App:delegated', 'scope:access_as_user']))
  @Get('/guarded-users')
  guardedUsers() {
    return { ok: true };
  }
}

describe('app: requirements: routes for app-only tokens (app:only) or for delegated ones (app:delegated)', () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    app = await withApp({ controllers: [TokenKindController] });
    emulator = app.emulator;
  });
  after(() => app.close());

  const call = (path: string, token: string): Promise<HttpResult> => get(`${app.url}/token-kind${path}`, bearer(token));

  it('app:only admits client-credentials tokens (idtyp app, or no scp) and refuses users with 403 app_only_required', async () => {
    for (const version of ['1.0', '2.0'] as const) {
      expect((await call('/daemons', emulator.mintAccessToken({ version, appOnly: true }))).status).to.equal(200);
    }
    // No idtyp (an older token, or a v1 one without the optional claim) and no scp: app-only too.
    const noIdtyp = emulator.mintAccessToken({ appOnly: true, claims: { idtyp: undefined } });
    expect((await call('/daemons', noIdtyp)).status).to.equal(200);
    const refused = await call('/daemons', emulator.mintAccessToken({ roles: ['Jobs.Run'] }));
    expect([refused.status, refused.json.error, refused.json.reason]).to.deep.equal([
      403,
      'forbidden',
      'app_only_required',
    ]);
  });

  it("a user's token without scp is no app's: idtyp user decides, and without idtyp its sub is not its oid", async () => {
    for (const claims of [{ idtyp: 'user' }, {}]) {
      const rolesOnly = emulator.mintAccessToken({ roles: ['Jobs.Run'], scopes: [], claims });
      const refused = await call('/daemons', rolesOnly);
      expect([refused.status, refused.json.reason], JSON.stringify(claims)).to.deep.equal([403, 'app_only_required']);
    }
    const appWithUserType = emulator.mintAccessToken({ appOnly: true, claims: { idtyp: 'user' } });
    expect((await call('/daemons', appWithUserType)).json.reason).to.equal('app_only_required');
  });

  it('is a condition besides the grants: app:only with a role needs both', async () => {
    expect(
      (await call('/daemons-with-role', emulator.mintAccessToken({ appOnly: true, roles: ['Jobs.Run'] }))).status,
    ).to.equal(200);
    expect((await call('/daemons-with-role', emulator.mintAccessToken({ appOnly: true }))).json.reason).to.equal(
      'insufficient_roles',
    );
    expect((await call('/daemons-with-role', emulator.mintAccessToken({ roles: ['Jobs.Run'] }))).json.reason).to.equal(
      'app_only_required',
    );
  });

  it('app:delegated admits users and refuses app-only tokens with 403 delegated_required (decorator and guard)', async () => {
    for (const path of ['/users', '/guarded-users']) {
      expect((await call(path, emulator.mintAccessToken())).status, path).to.equal(200);
      const refused = await call(path, emulator.mintAccessToken({ appOnly: true }));
      expect([refused.status, refused.json.reason], path).to.deep.equal([403, 'delegated_required']);
    }
  });

  it('refuses, at startup, lists that admit nobody: app:only with app:delegated, an authContext or scopes alone', async () => {
    @JsonController('/never')
    class NeverController {
      @Authorized(['app:only', 'app:delegated'])
      @Get('/both')
      both() {
        return {};
      }

      @Authorized(['app:only', 'authContext:c1'])
      @Get('/stepped-up-daemon')
      steppedUpDaemon() {
        return {};
      }

      @Authorized(['app:only', 'scope:access_as_user'])
      @Get('/scoped-daemon')
      scopedDaemon() {
        return {};
      }

      @Authorized(['app:only', 'scope:access_as_user', 'role:Jobs.Run'])
      @Get('/scope-or-role-daemon')
      scopeOrRoleDaemon() {
        return {};
      }

      @Authorized(['app:users'])
      @Get('/typo')
      typo() {
        return {};
      }
    }
    const problems = await startupProblems(() => withApp({ controllers: [NeverController], sharing: app }));
    expect(problems).to.deep.equal([
      '@Authorized on GET /never/both (NeverController.both): "app:only" and "app:delegated" contradict each other, so it admits nobody',
      '@Authorized on GET /never/stepped-up-daemon (NeverController.steppedUpDaemon): "app:only" tokens carry no authentication context (acrs), so it admits nobody',
      '@Authorized on GET /never/scoped-daemon (NeverController.scopedDaemon): "app:only" tokens carry no delegated scope (scp), so it admits nobody',
      '@Authorized on GET /never/typo (NeverController.typo): "app:users": an app entry is app:only or app:delegated',
    ]);
  });
});
