import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { EntraAuthError } from '../../src';
import { readJwsKeyReference, splitCompactJws } from '../../src/core/token/compact-jws';
import type { RsaAlgorithm } from '../../src/core/settings/settings';
import { assertKeyAllows, assertSignature } from '../../src/core/token/signature';
import { selectUsableKeys } from '../../src/core/keys/signing-key';
import { printTable } from './support/summary';
import { SHARED } from '../support/repo-paths';

// CI clones the repository into a folder with `shared/` beside it (see SHARED).
const VECTORS = path.join(SHARED, 'vectors', 'wycheproof');
const FILES = ['json_web_signature_test.json', 'json_web_key_test.json'];
const RSA_ALGORITHMS: readonly RsaAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

interface Vector {
  readonly file: string;
  readonly tcId: number;
  readonly comment: string;
  readonly jws: unknown;
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly keySet: unknown;
}

/** Every vector with the key set it is to be verified against (a group's public key, else its private one). */
function loadVectors(): Vector[] {
  return FILES.flatMap((file) => {
    const document = JSON.parse(readFileSync(path.join(VECTORS, file), 'utf8')) as {
      testGroups: Array<{ public?: unknown; private?: unknown; tests: Array<Omit<Vector, 'file' | 'keySet'>> }>;
    };
    return document.testGroups.flatMap((group) => {
      const key = (group.public ?? group.private) as Record<string, unknown>;
      const keySet = Array.isArray(key['keys']) ? key : { keys: [key] };
      return group.tests.map((test) => ({ ...test, file, keySet }));
    });
  });
}

/** The signature layer alone: JWS structure, header, key filter, key by kid, signature. */
function verdict(vector: Vector): 'accepted' | string {
  try {
    if (typeof vector.jws !== 'string') return 'not_compact';
    const jws = splitCompactJws(vector.jws, 16384);
    const { alg, kid } = readJwsKeyReference(jws.header.value, RSA_ALGORITHMS);
    const key = selectUsableKeys(vector.keySet, 'https://issuer.example/')?.get(kid);
    if (!key) return 'key_not_found';
    const signed = { alg, signingInput: jws.signingInput, signature: jws.signature };
    assertKeyAllows(signed, key);
    assertSignature(signed, key);
    return 'accepted';
  } catch (error) {
    if (error instanceof EntraAuthError) return error.reason;
    throw error;
  }
}

function headerAlg(vector: Vector): string {
  if (typeof vector.jws !== 'string') return '?';
  try {
    const alg = (JSON.parse(Buffer.from(vector.jws.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: unknown })
      .alg;
    return typeof alg === 'string' ? alg : '?';
  } catch {
    return '?';
  }
}

describe('Wycheproof: every invalid JWS and JWK vector is refused at the signature layer, every valid RS256 one accepted', () => {
  const present = FILES.every((file) => existsSync(path.join(VECTORS, file)));

  if (!present) {
    it('finds the Wycheproof vectors beside the repository (required under CI=true)', () => {
      // CI always has the folder: missing there, the suite must fail rather than pass vacuously.
      expect(process.env['CI'], `Wycheproof vectors missing at ${VECTORS}`).to.not.equal('true');
      console.log(`\n    Wycheproof vectors NOT FOUND at ${VECTORS}: these vectors were not run.\n`);
      expect(present).to.equal(false);
    });
    return;
  }

  const vectors = loadVectors();
  const outcomes = vectors.map((vector) => ({ vector, verdict: verdict(vector), alg: headerAlg(vector) }));

  it('refuses every invalid vector', () => {
    const invalid = outcomes.filter(({ vector }) => vector.result === 'invalid');
    expect(invalid.length).to.be.above(350);
    const accepted = invalid
      .filter(({ verdict }) => verdict === 'accepted')
      .map(({ vector }) => `${vector.file}#${vector.tcId} ${vector.comment}`);
    expect(accepted).to.deep.equal([]);
  });

  it('accepts every valid RS256 vector', () => {
    const validRs256 = outcomes.filter(({ vector, alg }) => vector.result === 'valid' && alg === 'RS256');
    expect(validRs256.length).to.be.above(5);
    expect(
      validRs256
        .filter(({ verdict }) => verdict !== 'accepted')
        .map(({ vector, verdict }) => `#${vector.tcId} ${verdict}`),
    ).to.deep.equal([]);
  });

  it('refuses the ROCA-vulnerable key (CVE-2017-15361) and the e=1 key that a plain JOSE library accepts', () => {
    const byComment = (comment: string) => outcomes.find(({ vector }) => vector.comment === comment)!;
    expect(byComment('rejectsKeyWithRocaVulnerability').verdict).to.equal('key_not_found');
    expect(byComment('rejectsPublicExponent1').verdict).to.equal('key_not_found');
  });

  after(() => {
    const rows = ['invalid', 'valid'].flatMap((result) => {
      const ofResult = outcomes.filter(({ vector }) => vector.result === result);
      const groups = new Map<string, typeof ofResult>();
      for (const outcome of ofResult) {
        const family = result === 'valid' ? outcome.alg : 'all';
        groups.set(family, [...(groups.get(family) ?? []), outcome]);
      }
      return [...groups].map(([family, members]) => {
        const accepted = members.filter(({ verdict }) => verdict === 'accepted').length;
        return [`${result} (${family})`, members.length, members.length - accepted, accepted];
      });
    });
    printTable(
      'Wycheproof at the signature layer (RSA algorithms allowed)',
      ['vectors', 'tried', 'refused', 'accepted'],
      rows,
    );
  });
});
