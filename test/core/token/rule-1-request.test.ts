import { expect } from 'chai';
import { InvalidTokenException, readBearerToken } from '../../../src';
import { encodeJwtSegment, signJwt } from '../../../src/testing';
import { expectRejection, startHarness, type Harness } from '../../support/harness';

const MAX = 16384;

function refusedWith(rawHeaders: string[], reason: string): void {
  expect(() => readBearerToken(rawHeaders, MAX))
    .to.throw(InvalidTokenException)
    .with.property('reason', reason);
}

describe('Rule 1: exactly one Authorization header, scheme Bearer, one well-formed token within MAX_TOKEN_BYTES', () => {
  describe('the Authorization header', () => {
    it('yields the token of one Bearer header, scheme compared case-insensitively', () => {
      expect(readBearerToken(['Host', 'api', 'Authorization', 'Bearer a.b.c'], MAX)).to.equal('a.b.c');
      expect(readBearerToken(['authorization', 'bEaReR   a.b.c'], MAX)).to.equal('a.b.c');
    });

    it('yields no credentials when there is no Authorization header or another scheme', () => {
      expect(readBearerToken(['Host', 'api', 'Cookie', 'token=a.b.c'], MAX)).to.equal(undefined);
      expect(readBearerToken(['Authorization', 'Basic dXNlcjpwYXNz'], MAX)).to.equal(undefined);
    });

    it('reads "Bearer" followed by anything but a space as malformed bearer credentials, never as another scheme', () => {
      for (const value of [
        'Bearer,a.b.c',
        'Bearer;a.b.c',
        'Bearer:a.b.c',
        'bearer=a.b.c',
        'Bearer"a.b.c"',
        'Bearer/a.b.c',
        'BEARER(a.b.c)',
        'Bearer@a.b.c',
        'Bearer\u00a0a.b.c',
        'Bearer\va.b.c',
        'Bearer\u00e9 a.b.c',
        'Bearer, a.b.c',
      ]) {
        refusedWith(['Authorization', value], 'token_malformed');
      }
    });

    it('reads anything that looks like bearer credentials as such: "Bearer" glued to more characters, after other whitespace, or later in a joined list', () => {
      for (const value of [
        'Bearerx a.b.c',
        'BearerToken a.b.c',
        'Bearer-2 a.b.c',
        'Bearer_x a.b.c',
        "Bearer!#$%&'*+.^`|~ a.b.c",
        'Bearer.a.b.c',
        'Bearera.b.c',
        '\u00a0Bearer a.b.c',
        'Basic dXNlcjpwYXNz, Bearer a.b.c',
        'Basic dXNlcjpwYXNz,bearer a.b.c',
        'Bearer a.b.c, Bearer d.e.f',
      ]) {
        refusedWith(['Authorization', value], 'token_malformed');
      }
    });

    it('reads other schemes as no bearer credentials', () => {
      for (const value of ['Basic dXNlcjpwYXNz', 'Digest username="bearer"', 'Negotiate YmVhcmVy', 'DPoP a.b.c']) {
        expect(readBearerToken(['Authorization', value], MAX), value).to.equal(undefined);
      }
    });

    it('strips only HTTP whitespace (spaces, tabs) around the value: a no-break space is not whitespace here, and before Bearer makes the value malformed', () => {
      expect(readBearerToken(['Authorization', ' \tBearer a.b.c\t '], MAX)).to.equal('a.b.c');
      expect(readBearerToken(['Authorization', 'Bearer a.b.c\u00a0'], MAX)).to.equal('a.b.c\u00a0');
      refusedWith(['Authorization', '\u00a0Bearer a.b.c'], 'token_malformed');
    });

    it('refuses two Authorization headers, even when one is valid (Node would keep only the first)', () => {
      refusedWith(['Authorization', 'Bearer a.b.c', 'authorization', 'Bearer d.e.f'], 'token_malformed');
      refusedWith(['Authorization', 'Basic x', 'Authorization', 'Bearer d.e.f'], 'token_malformed');
    });

    it('refuses an empty header and a Bearer scheme without a token', () => {
      refusedWith(['Authorization', ''], 'token_malformed');
      refusedWith(['Authorization', 'Bearer'], 'token_malformed');
      refusedWith(['Authorization', 'Bearer    '], 'token_malformed');
      refusedWith(['Authorization', 'Bearer\ta.b.c'], 'token_malformed');
    });

    it('refuses credentials longer than MAX_TOKEN_BYTES before anything else reads them', () => {
      refusedWith(['Authorization', `Bearer ${'a'.repeat(MAX + 1)}`], 'token_too_large');
    });
  });

  describe('the token', () => {
    let harness: Harness;
    before(async () => {
      harness = await startHarness({ maxTokenBytes: 4096 });
    });
    after(() => harness.close());

    it('accepts a well-formed token', async () => {
      const verified = await harness.provider.verifyToken(harness.emulator.mintAccessToken());
      expect(verified.claims.oid).to.equal(harness.emulator.users.member.oid);
    });

    it('refuses anything but three base64url segments', async () => {
      const [header, payload, signature] = harness.emulator.mintAccessToken().split('.') as [string, string, string];
      for (const token of [
        '',
        `${header}.${payload}`,
        `${header}.${payload}.${signature}.${signature}`,
        `${header}.${payload}.`,
        `${header}.${payload}.${signature}=`,
        `${header}.${payload}.${signature} `,
        `${header} .${payload}.${signature}`,
        `${header}.${payload}.${signature.replace(/[-_]/, '+')}`,
        `${header}.${payload}.${signature}\n`,
      ]) {
        await expectRejection(harness.provider.verifyToken(token), 'token_malformed');
      }
    });

    it('refuses non-canonical base64url that Node would silently decode', async () => {
      const token = harness.emulator.mintAccessToken();
      const [header, payload, signature] = token.split('.') as [string, string, string];
      // A signature of 256 bytes encodes to 342 characters whose last one carries 4 unused bits.
      const last = signature.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const sameBytes = alphabet[(alphabet.indexOf(last) & ~0xf) | 0x1]!;
      expect(Buffer.from(signature.slice(0, -1) + sameBytes, 'base64url')).to.deep.equal(
        Buffer.from(signature, 'base64url'),
      );
      await expectRejection(
        harness.provider.verifyToken(`${header}.${payload}.${signature.slice(0, -1)}${sameBytes}`),
        'token_malformed',
      );
    });

    it('refuses payloads and headers that are not JSON objects, or not UTF-8', async () => {
      const key = harness.emulator.privateKeyFor(harness.emulator.currentKid);
      const header = { alg: 'RS256', kid: harness.emulator.currentKid, typ: 'JWT' };
      for (const payload of [[1, 2], 'text', null, 42, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])]) {
        await expectRejection(harness.provider.verifyToken(signJwt(header, payload, key)), 'token_malformed');
      }
      const token = harness.emulator.mintAccessToken();
      const rest = token.slice(token.indexOf('.'));
      await expectRejection(harness.provider.verifyToken(`${encodeJwtSegment(['RS256'])}${rest}`), 'token_malformed');
    });

    it('refuses a payload that starts with a UTF-8 byte-order mark, which is not JSON', async () => {
      const key = harness.emulator.privateKeyFor(harness.emulator.currentKid);
      const header = { alg: 'RS256', kid: harness.emulator.currentKid, typ: 'JWT' };
      const claims = Buffer.from(harness.emulator.mintAccessToken().split('.')[1]!, 'base64url');
      const withMark = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), claims]);
      await expectRejection(harness.provider.verifyToken(signJwt(header, withMark, key)), 'token_malformed');
    });

    it('refuses a payload or header naming a member twice', async () => {
      const key = harness.emulator.privateKeyFor(harness.emulator.currentKid);
      const claims = JSON.parse(Buffer.from(harness.emulator.mintAccessToken().split('.')[1]!, 'base64url').toString());
      const json = JSON.stringify(claims);
      const twiceAud = Buffer.from(`${json.slice(0, -1)},"aud":"${claims.aud}"}`);
      await expectRejection(
        harness.provider.verifyToken(signJwt({ alg: 'RS256', kid: harness.emulator.currentKid }, twiceAud, key)),
        'token_malformed',
      );
      const twiceAlg = Buffer.from(`{"alg":"RS256","kid":"${harness.emulator.currentKid}","alg":"RS256"}`);
      await expectRejection(harness.provider.verifyToken(signJwt(twiceAlg as never, claims, key)), 'token_malformed');
    });

    it('refuses a token longer than MAX_TOKEN_BYTES with token_too_large', async () => {
      const token = harness.emulator.mintAccessToken({ claims: { padding: 'x'.repeat(4096) } });
      await expectRejection(harness.provider.verifyToken(token), 'token_too_large');
    });
  });
});
