import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { container as rootContainer } from 'tsyringe';
import {
  Clock,
  EntraAuthError,
  EntraIdProvider,
  HttpClient,
  JwksCache,
  registerEntraAuth,
  type EntraIdUser,
  type ReasonCode,
} from '../../src';
import { ManualClock } from '../../src/testing';
import { MicrosoftInMemory } from './support/microsoft-in-memory';
import { readRealEntraTokens, type RealEntraToken } from './support/real-entra-token';
import { printTable } from './support/summary';
import { SHARED } from '../support/repo-paths';

// CI clones the repository into a folder with `shared/` beside it (see SHARED).
const AUTHORITY = 'https://login.microsoftonline.com';
const FOLDER = path.join(SHARED, 'real-entra-tokens');

type Outcome = 'accepted' | ReasonCode;

interface Expectation {
  /** What the token is, for the test's name. */
  readonly what: string;
  readonly byDefault: Outcome;
  /** With ALLOW_ACL_AUTHORIZATION: only tokens with neither `scp` nor `roles` change. */
  readonly withAcl: Outcome;
  /** For accepted tokens: a user's delegated token (`scp`) or an app's own. */
  readonly caller?: 'user' | 'app';
}

// The folder's README says what a correct validator does with each token; the reason is the first
// rule (docs/design.md) the token fails.
const EXPECTED: Readonly<Record<string, Expectation>> = {
  '01-2013-09-08-v1.0-access-NGTFvdK-fy.json': {
    what: 'v1 access token of 2013 with x5t and no kid',
    byDefault: 'kid_invalid',
    withAcl: 'kid_invalid',
  },
  '03-2014-12-22-v1.0-id-kriMPdmBvx.json': {
    what: 'v1 ID token of 2014 with x5t and no kid',
    byDefault: 'kid_invalid',
    withAcl: 'kid_invalid',
  },
  '04-2016-06-30-v1.0-access-YbRAQRYcE_.json': {
    what: 'v1 delegated access token, aud "spn:<GUID>"',
    byDefault: 'accepted',
    withAcl: 'accepted',
    caller: 'user',
  },
  '07-2016-08-16-v1.0-id-YbRAQRYcE_.json': {
    what: 'v1 ID token (nonce, no appid)',
    byDefault: 'not_an_access_token',
    withAcl: 'not_an_access_token',
  },
  '08-2016-08-17-v1.0-id-YbRAQRYcE_.json': {
    what: 'v1 ID token (nonce, c_hash, no appid)',
    byDefault: 'not_an_access_token',
    withAcl: 'not_an_access_token',
  },
  '09-2016-08-17-v1.0-id-YbRAQRYcE_.json': {
    what: 'v1 ID token (nonce, no appid)',
    byDefault: 'not_an_access_token',
    withAcl: 'not_an_access_token',
  },
  '10-2016-08-18-v1.0-id-YbRAQRYcE_.json': {
    what: 'v1 ID token (nonce, no appid)',
    byDefault: 'not_an_access_token',
    withAcl: 'not_an_access_token',
  },
  '15-2021-02-17-v1.0-access-nOo3ZDrODX.json': {
    what: 'v1 app-only access token without roles, aud URL with a slash',
    byDefault: 'not_an_access_token',
    withAcl: 'accepted',
    caller: 'app',
  },
  '19-2021-07-28-v1.0-access-nOo3ZDrODX.json': {
    what: 'v1 managed-identity token, 24 h 5 min lifetime',
    byDefault: 'not_an_access_token',
    withAcl: 'accepted',
    caller: 'app',
  },
  '23-2023-03-14-v2.0-access--KI3Q9nNR7.json': {
    what: 'v2 app-only access token without roles',
    byDefault: 'not_an_access_token',
    withAcl: 'accepted',
    caller: 'app',
  },
  '26-2023-11-03-v1.0-access-9GmnyFPkhc.json': {
    what: 'v1 managed-identity token, aud URL without a slash, numeric xms_tcdt',
    byDefault: 'not_an_access_token',
    withAcl: 'accepted',
    caller: 'app',
  },
  '30-2024-08-09-acs-KQ2tAcrE7l.json': {
    what: 'SharePoint ACS token (no ver, no tid, iss not a URL)',
    byDefault: 'version_invalid',
    withAcl: 'version_invalid',
  },
  '32-2024-08-28-v1.0-graph-nonce-KQ2tAcrE7l.json': {
    what: 'Microsoft Graph token, signed over the SHA-256 of its header nonce',
    byDefault: 'signature_invalid',
    withAcl: 'signature_invalid',
  },
  '33-2024-09-10-v2.0-access-H9nj5AOSsw.json': {
    what: 'v2 app-only access token without roles',
    byDefault: 'not_an_access_token',
    withAcl: 'accepted',
    caller: 'app',
  },
};

interface Verdict {
  readonly outcome: Outcome;
  readonly user?: EntraIdUser;
  readonly unservedUrls: readonly string[];
}

/**
 * The token through the public API, as an app for its own tenant and audience would meet it: the
 * composition root, a clock just after issue, Microsoft's documents and key from memory.
 */
async function verdictOn(real: RealEntraToken, allowAclAuthorization: boolean, keyIssuer?: string): Promise<Verdict> {
  const microsoft = new MicrosoftInMemory(real.tenantId, real.jwk, keyIssuer);
  const container = rootContainer.createChildContainer();
  container.register(Clock, { useValue: new ManualClock(real.issuedAtMs) });
  container.register(HttpClient, { useValue: microsoft });
  registerEntraAuth(container, {
    settings: { tenantId: real.tenantId, audiences: [real.audience], allowAclAuthorization },
    env: {},
  });
  const provider = container.resolve(EntraIdProvider);
  try {
    const user = provider.createUserFromToken(await provider.verifyToken(real.token));
    return { outcome: 'accepted', user, unservedUrls: microsoft.unservedUrls };
  } catch (error) {
    if (!(error instanceof EntraAuthError)) throw error;
    return { outcome: error.reason, unservedUrls: microsoft.unservedUrls };
  } finally {
    container.resolve(JwksCache).close();
  }
}

function expectVerdict(real: RealEntraToken, verdict: Verdict, expected: Outcome, caller: Expectation['caller']): void {
  const context = `${real.file}${verdict.unservedUrls.length > 0 ? `; asked for unserved ${verdict.unservedUrls.join(', ')}` : ''}`;
  expect(verdict.outcome, context).to.equal(expected);
  if (expected !== 'accepted') return;
  const { claims } = real;
  const user = verdict.user!;
  expect(user.id, context).to.equal(claims['oid']);
  expect(user.tenantId, context).to.equal(claims['tid']);
  expect(user.clientId, context).to.equal(claims['ver'] === '2.0' ? claims['azp'] : claims['appid']);
  expect(user.isAppOnly, context).to.equal(caller === 'app');
  // Every real token here is a member's or an app's, several with an `idp` naming their own tenant.
  expect(user.isGuest, context).to.equal(false);
}

describe('Real Entra tokens (2013–2024, signed by Microsoft): each accepted or refused as shared/real-entra-tokens/README.md says', () => {
  const present = existsSync(FOLDER);

  if (!present) {
    it('finds the real tokens beside the repository (required under CI=true)', () => {
      // CI always has the folder: missing there, the suite must fail rather than pass vacuously.
      expect(process.env['CI'], `real Entra tokens missing at ${FOLDER}`).to.not.equal('true');
      console.log(`\n    REAL ENTRA TOKENS NOT FOUND at ${FOLDER}: the real-token conformance suite was NOT run.\n`);
      expect(present).to.equal(false);
    });
    return;
  }

  const tokens = readRealEntraTokens(FOLDER);
  const got = new Map<string, { byDefault?: Outcome; withAcl?: Outcome }>();
  const record = (file: string, key: 'byDefault' | 'withAcl', outcome: Outcome) =>
    got.set(file, { ...got.get(file), [key]: outcome });

  it('holds exactly the tokens this suite has expectations for', () => {
    expect(tokens.map(({ file }) => file)).to.deep.equal(Object.keys(EXPECTED).sort());
  });

  for (const real of tokens) {
    const expected = EXPECTED[real.file];
    if (!expected) continue;
    const name = `${real.file.slice(0, 2)}, ${expected.what}`;

    it(`${name}: ${expected.byDefault}`, async () => {
      const verdict = await verdictOn(real, false);
      record(real.file, 'byDefault', verdict.outcome);
      expectVerdict(real, verdict, expected.byDefault, expected.caller);
    });

    it(`${name}, with ALLOW_ACL_AUTHORIZATION: ${expected.withAcl}`, async () => {
      const verdict = await verdictOn(real, true);
      record(real.file, 'withAcl', verdict.outcome);
      expectVerdict(real, verdict, expected.withAcl, expected.caller);
    });

    if (expected.withAcl === 'accepted') {
      // The Storm-0558 pattern with Microsoft's own tokens: v1 tokens included, whose v1 key set binds nothing.
      it(`${name}: key_issuer_mismatch once the v2 key set binds its key to another tenant`, async () => {
        const otherTenant = `${AUTHORITY}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`;
        expect((await verdictOn(real, true, otherTenant)).outcome, real.file).to.equal('key_issuer_mismatch');
      });
    }
  }

  after(() => {
    const rows = tokens.map(({ file }) => {
      const expected = EXPECTED[file];
      const outcomes = got.get(file);
      const cell = (want: Outcome | undefined, had: Outcome | undefined) =>
        want === had ? String(had) : `${had ?? 'not run'} (expected ${want ?? '?'})`;
      return [
        file.slice(0, 2),
        cell(expected?.byDefault, outcomes?.byDefault),
        cell(expected?.withAcl, outcomes?.withAcl),
      ];
    });
    printTable(
      'Real Entra tokens through registerEntraAuth + EntraIdProvider.verifyToken',
      ['file', 'by default', 'ALLOW_ACL_AUTHORIZATION'],
      rows,
    );
  });
});
