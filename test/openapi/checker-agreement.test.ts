import { expect } from 'chai';
import { entraSecurity, AUTHORIZATION_EXTENSION, type OpenApiDocument } from '../../src/openapi';
import type { MintOptions } from '../../src/testing';
import { withApp, type TestApp } from '../support/app';
import { bearer, get } from '../support/http';
import { specOf } from '../support/openapi';
import { ADMINISTRATORS, DOCUMENTED_CONTROLLERS } from './documented-controllers';

interface Entry {
  readonly kind: string;
  readonly value?: string;
  readonly name?: string;
  readonly objectId?: string;
  readonly matchedBy?: string;
}

const ALIASES = { Administrators: ADMINISTRATORS };

/** A token holding exactly these entries (and the scope every user token of the emulator has). */
function holding(entries: readonly Entry[]): MintOptions {
  const groups: string[] = [];
  const roles: string[] = [];
  const scopes = ['access_as_user'];
  for (const entry of entries) {
    if (entry.kind === 'group') {
      groups.push(
        entry.matchedBy === 'alias' ? ALIASES[entry.name as keyof typeof ALIASES] : (entry.objectId ?? entry.name!),
      );
    } else if (entry.kind === 'scope') scopes.push(entry.value!);
    // The default permissions provider grants the token's roles and scopes.
    else roles.push(entry.value!);
  }
  return { groups, roles, scopes };
}

describe('OpenAPI: the checker decides exactly as the document says (real tokens, real HTTP)', function () {
  this.timeout(30000);
  let app: TestApp;
  let document: OpenApiDocument;

  before(async () => {
    app = await withApp({
      controllers: DOCUMENTED_CONTROLLERS,
      settings: { groupAliases: ALIASES, groupNamesInTokens: true },
    });
    document = entraSecurity(app.container, { controllers: DOCUMENTED_CONTROLLERS }).addTo(
      specOf(DOCUMENTED_CONTROLLERS),
    );
  });
  after(() => app.close());

  it('every entry of every set grants access (with one entry of each other set), nothing held is refused with a documented reason', async () => {
    const checked: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      const operation = item.get as Record<string, any>;
      const extension = operation[AUTHORIZATION_EXTENSION] as
        { tokenRequired: boolean; allOf: Array<{ anyOf: Entry[] }> } | undefined;
      const url = `${app.url}${path.replace('{id}', '7')}`;
      if (!extension?.tokenRequired) {
        expect((await get(url)).status, path).to.equal(200);
        continue;
      }
      const anonymous = await get(url);
      expect([anonymous.status, anonymous.json.reason], path).to.deep.equal([401, 'token_missing']);

      const nothing = await get(url, bearer(app.emulator.mintAccessToken(holding([]))));
      if (extension.allOf.length === 0) {
        expect(nothing.status, path).to.equal(200);
      } else {
        expect(nothing.status, path).to.equal(403);
        const documented = Object.keys(operation.responses['403'].content['application/json'].examples);
        expect(documented, path).to.include(nothing.json.reason);
        // The challenge the document announces for insufficient_scope, and only then.
        expect(nothing.headers['www-authenticate'] !== undefined, path).to.equal(
          nothing.json.reason === 'insufficient_scope',
        );
        if (nothing.json.reason === 'insufficient_scope') {
          expect(operation.responses['403'].headers, path).to.have.property('WWW-Authenticate');
        }
      }
      for (const [index, set] of extension.allOf.entries()) {
        const others = extension.allOf.filter((_, other) => other !== index).map((other) => other.anyOf[0]!);
        for (const entry of set.anyOf) {
          const token = app.emulator.mintAccessToken(holding([entry, ...others]));
          expect((await get(url, bearer(token))).status, `${path} holding ${JSON.stringify(entry)}`).to.equal(200);
          checked.push(`${path} ${entry.kind}`);
        }
      }
    }
    // The walk itself covered every kind (a broken walk must not pass vacuously).
    expect(new Set(checked.map((line) => line.split(' ')[1]))).to.deep.equal(
      new Set(['group', 'role', 'scope', 'permission']),
    );
    expect(checked).to.have.length.of.at.least(12);
  });
});
