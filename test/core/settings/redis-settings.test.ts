import { inspect } from 'node:util';
import { expect } from 'chai';
import { ConfigurationError, describeSettings, loadSettings } from '../../../src';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const URL_VARIABLE = 'AUTH_PROVIDER_AZURE_ENTRA_ID_REDIS_URL';
const PASSWORD_VARIABLE = 'AUTH_PROVIDER_AZURE_ENTRA_ID_REDIS_PASSWORD';
const PASSWORD = 'p@ss-never-printed~7';

function load(env: Record<string, string>) {
  return loadSettings({ tenantId: TENANT, audiences: [CLIENT] }, env);
}

function problemsOf(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems.join('\n');
  }
  expect.fail('expected a ConfigurationError');
}

describe('Settings: the shared store (REDIS_URL, REDIS_PASSWORD, REDIS_KEY_PREFIX, STORE_TIMEOUT_MS)', () => {
  it('is off by default: no Redis, the key prefix and store timeout at their defaults', () => {
    const settings = load({});
    expect(settings.redis).to.equal(undefined);
    expect(settings.redisKeyPrefix).to.equal('entra-auth:');
    expect(settings.storeTimeoutMs).to.equal(100);
  });

  it('reads rediss:// URLs with the password in the URL or apart, an ACL user name in the URL, and never shows either', () => {
    const inUrl = load({ [URL_VARIABLE]: `rediss://app:${encodeURIComponent(PASSWORD)}@cache.example:6380/2` });
    const apart = load({ [URL_VARIABLE]: 'rediss://app@cache.example:6380', [PASSWORD_VARIABLE]: PASSWORD });
    // An older style puts the password where the user name goes: it must not be shown either.
    const asUser = load({ [URL_VARIABLE]: `rediss://${encodeURIComponent(PASSWORD)}@cache.example` });
    expect(inUrl.redis!.revealCredentials()).to.deep.equal({ username: 'app', password: PASSWORD });
    expect(apart.redis!.revealCredentials()).to.deep.equal({ username: 'app', password: PASSWORD });
    expect(asUser.redis!.revealCredentials()).to.deep.equal({ username: PASSWORD, password: undefined });
    // node-redis reads credentials in the URL over its separate options: none may be left there.
    expect(inUrl.redis!.url).to.equal('rediss://cache.example:6380/2');
    expect(inUrl.redis!.tls).to.equal(true);
    expect(String(asUser.redis)).to.equal('rediss://cache.example (user name never shown)');
    for (const settings of [inUrl, apart, asUser]) {
      const shown = [
        JSON.stringify(describeSettings(settings)),
        JSON.stringify(settings),
        inspect(settings),
        String(settings.redis),
      ].join('\n');
      expect(shown).to.not.contain(PASSWORD).and.not.contain(encodeURIComponent(PASSWORD));
      expect(shown).to.match(/\((?:user name and )?(?:password|user name) never shown\)/);
    }
  });

  it('accepts redis:// (plaintext) on loopback hosts only: what the store holds grants group memberships (D35)', () => {
    expect(load({ [URL_VARIABLE]: 'redis://127.0.0.1:6379' }).redis!.tls).to.equal(false);
    expect(load({ [URL_VARIABLE]: 'redis://localhost' }).redis!.url).to.equal('redis://localhost');
    expect(problemsOf({ [URL_VARIABLE]: 'redis://cache.example:6379' })).to.contain(
      `${URL_VARIABLE}: redis:// is plaintext; use rediss:// (TLS) for a host other than loopback`,
    );
  });

  it('refuses other URLs, naming the variable and never quoting the value (it may hold the password)', () => {
    const cases = [
      `https://u:${PASSWORD}@cache.example`,
      `rediss://u:${PASSWORD}@cache.example/db/0`,
      `rediss://u:${PASSWORD}@cache.example?tls=1`,
      `not a url ${PASSWORD}`,
      `rediss://:${PASSWORD}@`,
    ];
    for (const url of cases) {
      const problems = problemsOf({ [URL_VARIABLE]: url });
      expect(problems, url).to.match(new RegExp(`^${URL_VARIABLE}: `));
      expect(problems, url).to.not.contain(PASSWORD);
    }
  });

  it('refuses a password given twice, or a password without a URL', () => {
    expect(
      problemsOf({ [URL_VARIABLE]: `rediss://:${PASSWORD}@cache.example`, [PASSWORD_VARIABLE]: PASSWORD }),
    ).to.contain('a password is given both in the URL and apart; give one');
    expect(problemsOf({ [PASSWORD_VARIABLE]: PASSWORD })).to.equal(
      `${PASSWORD_VARIABLE}: set without ${URL_VARIABLE}; set both or neither`,
    );
  });

  it('checks the key prefix and the store timeout', () => {
    expect(problemsOf({ AUTH_PROVIDER_AZURE_ENTRA_ID_REDIS_KEY_PREFIX: 'has space' })).to.contain(
      'AUTH_PROVIDER_AZURE_ENTRA_ID_REDIS_KEY_PREFIX: expected 1 to 64 printable ASCII characters without spaces',
    );
    expect(problemsOf({ AUTH_PROVIDER_AZURE_ENTRA_ID_STORE_TIMEOUT_MS: '5000' })).to.contain(
      'AUTH_PROVIDER_AZURE_ENTRA_ID_STORE_TIMEOUT_MS: expected a whole number of milliseconds from 10 to 1000',
    );
  });

  it('takes the URL and password from code too', () => {
    const settings = loadSettings(
      { tenantId: TENANT, audiences: [CLIENT], redisUrl: 'rediss://cache.example', redisPassword: PASSWORD },
      {},
    );
    expect(settings.redis!.revealCredentials().password).to.equal(PASSWORD);
  });
});
