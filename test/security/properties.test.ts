import { expect } from 'chai';
import fc from 'fast-check';
import { EntraAuthError, readBearerToken } from '../../src';
import { readJwsKeyReference, splitCompactJws } from '../../src/core/token/compact-jws';
import { sameGuid } from '../../src/core/guid';
import { decodeJsonSegment } from '../../src/core/json-object';
import { startHarness, type Harness } from '../support/harness';
import { decodeToken } from './support/token-forge';

const SEED = 20261126;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_EXP = 253402300799;

/** Resolves to the reason code of a library refusal, or 'accepted'; any other error fails the property. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof EntraAuthError) return error.reason;
    throw error;
  }
}

function libraryErrorOrNothing(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof EntraAuthError)) throw error;
  }
}

describe('Properties (fast-check, fixed seed): no input escapes as anything but a reason-coded refusal', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('any string that is not three base64url segments yields token_malformed or token_too_large', async () => {
    const base64UrlSegment = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_'), maxLength: 12 });
    const notCompact = fc
      .oneof(
        fc.string({ maxLength: 64 }),
        fc.string({ unit: 'binary', maxLength: 64 }),
        fc.array(base64UrlSegment, { maxLength: 6 }).map((segments) => segments.join('.')),
        fc.tuple(base64UrlSegment, fc.string({ maxLength: 4 }), base64UrlSegment).map((parts) => parts.join('.')),
        fc.string({ unit: fc.constantFrom('A', '.', '='), minLength: 16_385, maxLength: 16_400 }),
      )
      .filter((token) => !COMPACT_JWS.test(token));
    await fc.assert(
      fc.asyncProperty(notCompact, async (token) => {
        expect(await outcome(harness.provider.verifyToken(token))).to.be.oneOf(['token_malformed', 'token_too_large']);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('replacing any one claim of a valid token with any JSON value is accepted only when the value is equivalent, else refused with a reason code', async () => {
    const now = harness.clock.now() / 1000;
    const skew = harness.settings.leeway;
    const original = decodeToken(harness.emulator.mintAccessToken()).payload;
    // What "equivalent" means for the claims the rules judge; any other claim may hold anything.
    const equivalent: Record<string, (value: unknown) => boolean> = {
      iss: (value) => value === original['iss'],
      ver: (value) => value === original['ver'],
      tid: (value) => typeof value === 'string' && sameGuid(value, original['tid'] as string),
      aud: (value) => typeof value === 'string' && harness.settings.audiences.includes(value),
      exp: (value) =>
        typeof value === 'number' && value > now - skew && value <= MAX_EXP && value >= (original['nbf'] as number),
      nbf: (value) => typeof value === 'number' && value <= now + skew && value <= (original['exp'] as number),
      iat: (value) => typeof value === 'number' && value <= now + skew,
      oid: (value) => typeof value === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value),
      scp: (value) => typeof value === 'string',
      name: (value) => typeof value === 'string',
      preferred_username: (value) => typeof value === 'string',
      azp: (value) => typeof value === 'string',
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(original)),
        fc.jsonValue({ maxDepth: 2 }),
        async (claim, value) => {
          const token = harness.emulator.mintAccessToken({ claims: { [claim]: value } });
          const result = await outcome(harness.provider.verifyToken(token));
          if (result === 'accepted')
            expect(equivalent[claim]?.(value) ?? true, `${claim} = ${JSON.stringify(value)} accepted`).to.equal(true);
          else expect(result).to.match(/^[a-z_]+$/);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('header parsing never throws for any byte string: the JOSE header and the Authorization header', () => {
    const payload = Buffer.from('{}').toString('base64url');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const segment = Buffer.from(bytes).toString('base64url');
        const decoded = decodeJsonSegment(segment);
        expect(decoded === undefined || typeof decoded.value === 'object').to.equal(true);
        libraryErrorOrNothing(() => {
          const jws = splitCompactJws(`${segment}.${payload}.AAAA`, 16384);
          readJwsKeyReference(jws.header.value, ['RS256']);
        });
        libraryErrorOrNothing(() => readBearerToken(['Authorization', Buffer.from(bytes).toString('latin1')], 16384));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
