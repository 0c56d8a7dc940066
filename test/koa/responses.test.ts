import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import { EntraIdProvider, describeReason, type EntraIdUser } from '../../src';
import { administratorsGroupId, type EntraEmulator } from '../../src/testing';
import { withApp, type TestApp } from '../support/app';
import { bearer, get, type HttpResult } from '../support/http';

@JsonController('/responses')
class ResponsesController {
  @Get('/open')
  open() {
    return { open: true };
  }

  @Authorized()
  @Get('/protected')
  protectedRoute(@CurrentUser() user: EntraIdUser) {
    return { id: user.id };
  }

  @Authorized(['Administrators'])
  @Get('/administrators')
  administrators() {
    return { admin: true };
  }

  @Authorized(['scope:Files.Read', 'scope:Files.ReadWrite'])
  @Get('/files')
  files() {
    return { files: [] };
  }

  @Get('/current-user-required')
  currentUserRequired(@CurrentUser({ required: true }) user: EntraIdUser) {
    return { id: user.id };
  }

  @Get('/fails')
  fails(): never {
    throw new Error('database password is hunter2');
  }
}

const REALM = 'Bearer realm="api"';

function expectBody(response: HttpResult, error: string, reason: string): void {
  expect(response.json, response.text).to.deep.equal({
    error,
    error_description: describeReason(reason as never),
    reason,
  });
}

describe("Responses (RFC 6750): every status, header and body of docs/design.md's table", () => {
  let app: TestApp;
  let emulator: EntraEmulator;

  before(async () => {
    // Below Node's own 16 KiB header limit, so that the library, not Node (431), refuses.
    app = await withApp({
      controllers: [ResponsesController],
      settings: { maxTokenBytes: 8192, groupAliases: { Administrators: administratorsGroupId } },
    });
    emulator = app.emulator;
  });
  after(() => app.close());

  it('serves a verified caller on a protected route, and anyone on an open route', async () => {
    const protectedResponse = await get(`${app.url}/responses/protected`, bearer(emulator.mintAccessToken()));
    expect(protectedResponse.status).to.equal(200);
    expect(protectedResponse.json).to.deep.equal({ id: emulator.users.member.oid });
    expect((await get(`${app.url}/responses/open`)).json).to.deep.equal({ open: true });
  });

  describe('protected route, no bearer credentials (none, or another scheme): 401 unauthorized, challenge without error code', () => {
    for (const [label, headers] of [
      ['no Authorization header', {}],
      ['Basic credentials', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ] as const) {
      it(label, async () => {
        const response = await get(`${app.url}/responses/protected`, headers);
        expect(response.status).to.equal(401);
        expect(response.headers['www-authenticate']).to.equal(REALM);
        expectBody(response, 'unauthorized', 'token_missing');
      });
    }

    it('also for @Authorized([...]) with roles (routing-controllers would answer 403)', async () => {
      const response = await get(`${app.url}/responses/administrators`);
      expect(response.status).to.equal(401);
      expect(response.headers['www-authenticate']).to.equal(REALM);
    });

    it('also for @CurrentUser({ required: true })', async () => {
      const response = await get(`${app.url}/responses/current-user-required`);
      expect(response.status).to.equal(401);
      expect(response.headers['www-authenticate']).to.equal(REALM);
      expectBody(response, 'unauthorized', 'token_missing');
    });
  });

  describe('a bearer token that fails any rule: 401 invalid_token, with the reason in the challenge', () => {
    it('on a protected route', async () => {
      const response = await get(
        `${app.url}/responses/protected`,
        bearer(emulator.mintAccessToken({ audience: 'api://someone-else' })),
      );
      expect(response.status).to.equal(401);
      expect(response.headers['www-authenticate']).to.equal(
        `${REALM}, error="invalid_token", error_description="${describeReason('audience_invalid')}"`,
      );
      expectBody(response, 'invalid_token', 'audience_invalid');
    });

    it('on an open route too: bad credentials are never ignored', async () => {
      const response = await get(
        `${app.url}/responses/open`,
        bearer(emulator.mintAccessToken({ lifetimeSeconds: -3600 })),
      );
      expect(response.status).to.equal(401);
      expectBody(response, 'invalid_token', 'token_expired');
    });

    it('on an open route too, anything that looks like bearer credentials and is malformed: never served anonymously', async () => {
      const token = emulator.mintAccessToken();
      for (const separator of [',', ';', ':']) {
        const response = await get(`${app.url}/responses/open`, { Authorization: `Bearer${separator}${token}` });
        expect(response.status, separator).to.equal(401);
        expectBody(response, 'invalid_token', 'token_malformed');
      }
      for (const value of [`BearerX ${token}`, `Bearer.${token}`, `Basic dXNlcjpwYXNz, Bearer ${token}`]) {
        const response = await get(`${app.url}/responses/open`, { Authorization: value });
        expect(response.status, value).to.equal(401);
        expectBody(response, 'invalid_token', 'token_malformed');
      }
      // Another scheme is no bearer credentials: the open route serves it.
      expect((await get(`${app.url}/responses/open`, { Authorization: 'Basic dXNlcjpwYXNz' })).status).to.equal(200);
    });

    it('never echoes the token', async () => {
      const token = emulator.mintAccessToken({ claims: { tid: 'not-a-guid' } });
      const response = await get(`${app.url}/responses/protected`, bearer(token));
      expect(response.status).to.equal(401);
      for (const part of [token, ...token.split('.')]) expect(response.text).to.not.contain(part);
      expect(JSON.stringify(response.headers)).to.not.contain(token.split('.')[1]);
    });
  });

  describe('a malformed Authorization header: 401 invalid_token (deliberately not 400)', () => {
    for (const [label, headers, reason] of [
      ['two Authorization headers', { Authorization: ['Bearer a.b.c', 'Bearer d.e.f'] }, 'token_malformed'],
      ['Bearer without a token', { Authorization: 'Bearer' }, 'token_malformed'],
      ['two tokens', { Authorization: 'Bearer a.b.c d.e.f' }, 'token_malformed'],
      ['comma-joined tokens', { Authorization: 'Bearer a.b.c,d.e.f' }, 'token_malformed'],
      ['an oversized token', { Authorization: `Bearer ${'a'.repeat(8193)}` }, 'token_too_large'],
      ['Bearer and a comma instead of a space', { Authorization: 'Bearer,a.b.c' }, 'token_malformed'],
      ['Bearer and a colon instead of a space', { Authorization: 'Bearer:a.b.c' }, 'token_malformed'],
    ] as const) {
      it(label, async () => {
        const response = await get(`${app.url}/responses/protected`, headers as Record<string, string | string[]>);
        expect(response.status).to.equal(401);
        expect(response.headers['www-authenticate']).to.match(
          /^Bearer realm="api", error="invalid_token", error_description="[^"\\]+"$/,
        );
        expectBody(response, 'invalid_token', reason);
      });
    }
  });

  describe('verified, but lacking what the route requires: 403', () => {
    it('a missing group: 403 forbidden, no challenge', async () => {
      const response = await get(`${app.url}/responses/administrators`, bearer(emulator.mintAccessToken()));
      expect(response.status).to.equal(403);
      expect(response.headers['www-authenticate']).to.equal(undefined);
      expectBody(response, 'forbidden', 'insufficient_groups');
    });

    it('groups overage without a resolver: 403 forbidden with groups_overage', async () => {
      const token = emulator.mintAccessToken({
        user: emulator.users.administrator,
        groups: [],
        claims: { hasgroups: true },
      });
      const response = await get(`${app.url}/responses/administrators`, bearer(token));
      expect(response.status).to.equal(403);
      expectBody(response, 'forbidden', 'groups_overage');
    });

    it('every required entry a scope, none held: 403 insufficient_scope naming the scopes', async () => {
      const response = await get(`${app.url}/responses/files`, bearer(emulator.mintAccessToken()));
      expect(response.status).to.equal(403);
      expect(response.headers['www-authenticate']).to.equal(
        `${REALM}, error="insufficient_scope", scope="Files.Read Files.ReadWrite"`,
      );
      expectBody(response, 'insufficient_scope', 'insufficient_scope');
    });
  });

  describe('keys cannot be obtained: 503 temporarily_unavailable with Retry-After', () => {
    it('answers 503 with Retry-After >= 1 and no challenge, then recovers', async () => {
      const outageApp = await withApp({
        controllers: [ResponsesController],
        settings: { groupAliases: { Administrators: administratorsGroupId } },
      });
      const { emulator: outage, clock } = outageApp;
      try {
        outage.setFault('all', { kind: 'down' });
        const response = await get(`${outageApp.url}/responses/protected`, bearer(outage.mintAccessToken()));
        expect(response.status).to.equal(503);
        expect(Number(response.headers['retry-after'])).to.be.at.least(1);
        expect(response.headers['www-authenticate']).to.equal(undefined);
        expectBody(response, 'temporarily_unavailable', 'keys_unavailable');

        outage.setFault('all', undefined);
        clock.advanceSeconds(Number(response.headers['retry-after']));
        expect((await get(`${outageApp.url}/responses/protected`, bearer(outage.mintAccessToken()))).status).to.equal(
          200,
        );
      } finally {
        await outageApp.close();
      }
    });
  });

  it('verifies the token once per request, though both the checker and @CurrentUser use the user', async () => {
    const provider = app.container.resolve(EntraIdProvider);
    const original = provider.verifyToken.bind(provider);
    let calls = 0;
    provider.verifyToken = (token: string) => {
      calls++;
      return original(token);
    };
    try {
      expect((await get(`${app.url}/responses/protected`, bearer(emulator.mintAccessToken()))).status).to.equal(200);
      expect(calls).to.equal(1);
    } finally {
      provider.verifyToken = original;
    }
  });

  it('answers an application error without its message or a stack trace', async () => {
    const response = await get(`${app.url}/responses/fails`);
    expect(response.status).to.equal(500);
    expect(response.text).to.not.contain('hunter2');
    expect(response.text).to.not.match(/at .*\.js:\d+/);
  });
});
