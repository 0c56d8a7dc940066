import { expect } from 'chai';
import { EntraEmulator } from '../../src/testing';
import { cleanEnvironment, startDemo, stop } from '../support/demo-process';
import { eventually } from '../support/eventually';
import { graphLookups } from '../support/graph-lookups';
import { bearer, get, postJson, type HttpResult } from '../support/http';
import { TEST_STORE_TIMEOUT_MS, requireRedisServer, startRedisServer } from '../support/redis-server';

const REDIS_URL = 'AUTH_PROVIDER_AZURE_ENTRA_ID_REDIS_URL';

function claimsOf(response: HttpResult): unknown {
  const claims = /claims="([^"]+)"/.exec(String(response.headers['www-authenticate']))?.[1];
  return claims === undefined ? undefined : JSON.parse(Buffer.from(claims, 'base64').toString());
}

describe('Demo fleet (npm run demo with REDIS_URL): two instances on one Redis act as one', function () {
  this.timeout(60000);
  if (!requireRedisServer('the demo fleet test')) return;

  it('embedded mode prints how to start a second instance, naming the Redis variables and never their values', async () => {
    const password = 'never-print-this~9';
    const { child, output } = await startDemo(cleanEnvironment({ [REDIS_URL]: `redis://:${password}@127.0.0.1:9` }));
    try {
      expect(output).to.not.contain(password);
      expect(output).to.contain('redis://127.0.0.1:9 (password never shown)');
      expect(output).to.match(
        new RegExp(
          `^ {2}PORT=3001 DEMO_EMULATOR_URL=http://127\\.0\\.0\\.1:\\d+ ${REDIS_URL}="\\$${REDIS_URL}" npm run demo$`,
          'm',
        ),
      );
    } finally {
      await stop(child);
    }
  });

  it('one Graph lookup for both, a revocation refused on both within a second (a claims challenge for cp1), and Redis killed changes no answer that did not need it', async () => {
    const redis = await startRedisServer();
    const emulator = await EntraEmulator.start();
    const env = cleanEnvironment({
      DEMO_EMULATOR_URL: emulator.baseUrl,
      [REDIS_URL]: redis.url,
      AUTH_PROVIDER_AZURE_ENTRA_ID_STORE_TIMEOUT_MS: String(TEST_STORE_TIMEOUT_MS),
    });
    const demos = await Promise.all([startDemo(env), startDemo(env)]);
    try {
      const urls = demos.map(({ output }) => /listening on (http:\/\/\S+) \(joined mode\)/.exec(output)![1]!);
      const onBoth = (path: string, token?: string) =>
        Promise.all(urls.map((url) => get(`${url}${path}`, token ? bearer(token) : {})));
      const statuses = async (path: string, token?: string) => (await onBoth(path, token)).map((r) => r.status);
      await eventually(async () => (await onBoth('/health')).every((r) => r.json?.store?.state === 'available'));

      // An overage user's first request on either costs one Graph lookup for both.
      const overage = emulator.mintAccessToken({ user: emulator.users.overageAdministrator });
      emulator.setFault('graph', { kind: 'slow', delayMs: 300 }, { times: 1 });
      expect(await statuses('/admin/users', overage)).to.deep.equal([200, 200]);
      expect(graphLookups(emulator)).to.equal(1);

      const member = emulator.mintAccessToken();
      const cae = emulator.mintAccessToken({ clientCapabilities: ['cp1'] });
      const administrator = emulator.mintAccessToken({ user: emulator.users.administrator });
      const appOnly = emulator.mintAccessToken({ appOnly: true });
      expect(await statuses('/user/profile', member)).to.deep.equal([200, 200]);
      expect(await statuses('/user/profile', cae)).to.deep.equal([200, 200]);

      // POST /admin/revocations on one: refused on both within a second.
      const revoker = emulator.mintAccessToken({ appOnly: true, roles: ['Sessions.Revoke'] });
      const body = JSON.stringify({ tenantId: emulator.tenants.primary.id, userId: emulator.users.member.oid });
      const revoked = await postJson(`${urls[0]}/admin/revocations`, body, bearer(revoker));
      expect(revoked.status, revoked.text).to.equal(200);
      await eventually(
        async () => (await statuses('/user/profile', member)).every((status) => status === 401),
        'the refusal on both instances',
        1000,
      );
      for (const response of await onBoth('/user/profile', member)) {
        expect(response.json).to.deep.include({ error: 'invalid_token', reason: 'session_revoked' });
      }
      for (const response of await onBoth('/user/profile', cae)) {
        expect([response.status, response.json.error]).to.deep.equal([401, 'insufficient_claims']);
        expect(claimsOf(response)).to.deep.equal({
          access_token: { nbf: { essential: true, value: String(revoked.json.notBefore) } },
        });
      }

      // Redis killed: every answer that did not need it stays the same.
      const answers = async () => ({
        administrator: await statuses('/admin/users', administrator),
        overage: await statuses('/admin/users', overage),
        appOnly: await statuses('/tenant/info', appOnly),
        anonymous: await statuses('/user/profile'),
        member: await statuses('/user/profile', member),
        cae: await statuses('/user/profile', cae),
      });
      const before = await answers();
      await redis.kill();
      expect(await answers()).to.deep.equal(before);
      // A new overage user: each instance asks Graph on its own, and answers.
      const newcomer = emulator.mintAccessToken({
        user: emulator.createUser(emulator.users.overageAdministrator.groups),
      });
      expect(await statuses('/admin/users', newcomer)).to.deep.equal([200, 200]);
      // What needs Redis says so: a revocation cannot reach the fleet.
      const unshared = await postJson(`${urls[1]}/admin/revocations`, body, bearer(revoker));
      expect([unshared.status, unshared.headers['retry-after']]).to.deep.equal([503, '1']);
      const health = await onBoth('/health');
      expect(health.map((r) => [r.status, r.json.store.state])).to.deep.equal([
        [200, 'unavailable'],
        [200, 'unavailable'],
      ]);

      await redis.restart();
      await eventually(async () => (await onBoth('/health')).every((r) => r.json.store.state === 'available'));
    } finally {
      await Promise.all(demos.map(({ child }) => stop(child)));
      await emulator.close();
      await redis.stop();
    }
  });
});
