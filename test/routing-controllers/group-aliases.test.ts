import { expect } from 'chai';
import { Authorized, Get, JsonController, UseBefore } from 'routing-controllers';
import { ConfigurationError, loadSettings } from '../../src';
import { requireGroups } from '../../src/routing-controllers';
import { startupProblems, withApp, type TestApp } from '../support/app';
import { bearer, get } from '../support/http';

const ADMINISTRATORS = '02b919c6-38a0-4002-8615-b80dc502181f';
const SALES = '6f1f2b4a-0c8e-4a4e-9b8f-2d7c5e3a1b90';
const PREFIX = 'AUTH_PROVIDER_AZURE_ENTRA_ID_';

@JsonController('/aliases')
class AliasedController {
  @Authorized(['Administrators'])
  @Get('/authorized')
  authorized() {
    return { ok: true };
  }

  @Authorized(['group:Sales Managers'])
  @Get('/prefixed')
  prefixed() {
    return { ok: true };
  }

  @UseBefore(requireGroups(['Administrators']))
  @Get('/guarded')
  guarded() {
    return { ok: true };
  }
}

@JsonController('/typo')
class TypoController {
  @Authorized(['Administrator'])
  @Get('/authorized')
  authorized() {
    return { ok: true };
  }
}

@JsonController('/typo-guard')
class TypoGuardController {
  @UseBefore(requireGroups(['Admins']))
  @Get('/guarded')
  guarded() {
    return { ok: true };
  }
}

describe('Group names: GROUP_ALIASES maps names to the object ids tokens carry', () => {
  let app: TestApp;

  before(async () => {
    app = await withApp({
      controllers: [AliasedController],
      settings: { groupAliases: { Administrators: ADMINISTRATORS, 'Sales Managers': SALES } },
    });
  });
  after(() => app.close());

  const status = async (path: string, groups: readonly string[]): Promise<number> =>
    (await get(`${app.url}${path}`, bearer(app.emulator.mintAccessToken({ groups })))).status;

  it('@Authorized(["Administrators"]) passes a token holding the aliased object id, in any case, and refuses others', async () => {
    expect(await status('/aliases/authorized', [ADMINISTRATORS])).to.equal(200);
    expect(await status('/aliases/authorized', [ADMINISTRATORS.toUpperCase()])).to.equal(200);
    expect(await status('/aliases/authorized', [SALES])).to.equal(403);
    expect(await status('/aliases/authorized', [])).to.equal(403);
  });

  it('an aliased name matches its object id only, never another group that happens to carry the name', async () => {
    expect(await status('/aliases/authorized', ['Administrators'])).to.equal(403);
  });

  it('group: prefixed names and names with spaces resolve too', async () => {
    expect(await status('/aliases/prefixed', [SALES])).to.equal(200);
    expect(await status('/aliases/prefixed', [ADMINISTRATORS])).to.equal(403);
  });

  it('requireGroups(["Administrators"]) resolves the alias the same way', async () => {
    expect(await status('/aliases/guarded', [ADMINISTRATORS])).to.equal(200);
    expect(await status('/aliases/guarded', [SALES])).to.equal(403);
  });

  it('reads Name=<object-id> pairs from the environment; code values win', () => {
    const base = {
      [`${PREFIX}TENANT_ID`]: app.emulator.tenants.primary.id,
      [`${PREFIX}AUDIENCE_ID`]: app.emulator.apiClientId,
    };
    const fromEnv = loadSettings(
      {},
      {
        ...base,
        [`${PREFIX}GROUP_ALIASES`]: `Administrators=${ADMINISTRATORS}, Sales Managers = ${SALES},`,
        [`${PREFIX}GROUP_NAMES_IN_TOKENS`]: 'true',
      },
    );
    expect(fromEnv.groupAliases).to.deep.equal({ Administrators: ADMINISTRATORS, 'Sales Managers': SALES });
    expect(fromEnv.groupNamesInTokens).to.equal(true);
    expect(loadSettings({}, base).groupNamesInTokens).to.equal(false);
    const fromCode = loadSettings(
      { groupAliases: { Ops: SALES } },
      { ...base, [`${PREFIX}GROUP_ALIASES`]: `Administrators=${ADMINISTRATORS}` },
    );
    expect(fromCode.groupAliases).to.deep.equal({ Ops: SALES });
  });

  it('refuses malformed aliases at startup, naming the variable', () => {
    const base = {
      [`${PREFIX}TENANT_ID`]: app.emulator.tenants.primary.id,
      [`${PREFIX}AUDIENCE_ID`]: app.emulator.apiClientId,
    };
    for (const value of [
      'Administrators',
      `Administrators=not-a-guid`,
      `role:x=${SALES}`,
      `${SALES}=${ADMINISTRATORS}`,
      `A=${SALES},A=${ADMINISTRATORS}`,
    ]) {
      try {
        loadSettings({}, { ...base, [`${PREFIX}GROUP_ALIASES`]: value });
        expect.fail(`accepted ${value}`);
      } catch (error) {
        expect(error, value).to.be.instanceOf(ConfigurationError);
        expect((error as ConfigurationError).problems.join('\n')).to.contain(`${PREFIX}GROUP_ALIASES`);
      }
    }
  });
});

describe('Group names: a name that is neither an object id nor an alias fails the start with its route', () => {
  it('in @Authorized', async () => {
    const problems = await startupProblems(() => withApp({ controllers: [TypoController] }));
    expect(problems).to.have.length(1);
    expect(problems[0])
      .to.contain('GET /typo/authorized')
      .and.to.contain('"Administrator"')
      .and.to.contain(`${PREFIX}GROUP_ALIASES`);
  });

  it('in requireGroups', async () => {
    const problems = await startupProblems(() => withApp({ controllers: [TypoGuardController] }));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.contain('requireGroups on GET /typo-guard/guarded').and.to.contain('"Admins"');
  });

  it('not when the app declares GROUP_NAMES_IN_TOKENS (tokens or its groups provider carry names)', async () => {
    const app = await withApp({
      controllers: [TypoController, TypoGuardController],
      settings: { groupNamesInTokens: true },
    });
    try {
      const named = app.emulator.mintAccessToken({ groups: ['Administrator', 'Admins'] });
      expect((await get(`${app.url}/typo/authorized`, bearer(named))).status).to.equal(200);
      expect((await get(`${app.url}/typo-guard/guarded`, bearer(named))).status).to.equal(200);
    } finally {
      await app.close();
    }
  });
});
