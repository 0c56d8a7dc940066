import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { anchorsOf, headingSlug, linksOf } from './support/markdown';
import { REPO_ROOT } from './support/repo-paths';

/** The project's own text, relative to the root: code, tests, the demo and every document. */
const SCANNED = ['src', 'test', 'demo', 'docs', 'README.md', 'SECURITY.md'];

interface TextFile {
  /** Relative to the root, with `/` separators, as documents cite it. */
  readonly file: string;
  readonly lines: readonly string[];
}

function filesUnder(relative: string): string[] {
  const full = path.join(REPO_ROOT, relative);
  if (!statSync(full).isDirectory()) return [relative];
  // test/bench installs its own packages and builds beside them (npm run bench): neither is our text.
  return readdirSync(full)
    .filter((name) => name !== 'node_modules' && name !== 'dist')
    .flatMap((name) => filesUnder(path.posix.join(relative, name)));
}

const FILES: readonly TextFile[] = SCANNED.flatMap(filesUnder).map((file) => ({
  file,
  lines: readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n'),
}));

/** The documents whose relative links must resolve: README.md, SECURITY.md and docs/. */
const DOCUMENTS = FILES.filter(
  ({ file }) => file === 'README.md' || file === 'SECURITY.md' || /^docs\/.*\.md$/.test(file),
);

/**
 * The behaviour brief that lived beside the repository before docs/design.md: cited by its
 * upper-case file name, or by a path into the `shared` folder.
 */
const EXTERNAL_BRIEF = /\bDESIGN\.md\b|\bshared[\\/]+DESIGN\b/;

/** A citation of an anchor in a document of docs/, as code comments, tests and documents write it. */
const CITED_ANCHOR = /\bdocs\/([\w.-]+\.md)#([\w-]+)/g;

const anchorsByFile = new Map<string, Set<string>>();
/** The anchors of a file (absolute path), or none when it does not exist. */
function anchorsIn(full: string): Set<string> {
  if (!anchorsByFile.has(full)) {
    anchorsByFile.set(full, existsSync(full) ? anchorsOf(readFileSync(full, 'utf8')) : new Set());
  }
  return anchorsByFile.get(full)!;
}

/** Every `docs/<file>.md#anchor` in the scanned text, where it was written. */
const CITATIONS = FILES.flatMap(({ file, lines }) =>
  lines.flatMap((line, index) =>
    [...line.matchAll(CITED_ANCHOR)].map((match) => ({
      where: `${file}:${index + 1}`,
      document: `docs/${match[1]!}`,
      anchor: match[2]!,
    })),
  ),
);

/** Why a relative link of a document does not resolve, or undefined when it does. */
function brokenLink(document: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const [file = '', anchor] = target.split('#', 2);
  const from = path.join(REPO_ROOT, document);
  const full = file === '' ? from : path.resolve(path.dirname(from), decodeURIComponent(file));
  const relative = path.relative(REPO_ROOT, full);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return 'points outside the repository';
  if (!existsSync(full)) return 'no such file';
  if (anchor !== undefined && full.endsWith('.md') && !anchorsIn(full).has(anchor)) return 'no such anchor';
  return undefined;
}

describe('Documentation: the contract lives in the repository, and every citation and link resolves', () => {
  it('reads the files and citations it judges, with anchors computed as GitHub does (the checks themselves work)', () => {
    const files = FILES.map(({ file }) => file);
    expect(files).to.include.members(['README.md', 'SECURITY.md', 'docs/design.md', 'test/docs.test.ts']);
    expect(files.some((file) => file.startsWith('src/core/'))).to.equal(true);
    expect(files.some((file) => file.startsWith('demo/'))).to.equal(true);
    expect(DOCUMENTS.map(({ file }) => file)).to.include.members(['README.md', 'SECURITY.md', 'docs/design.md']);
    expect(CITATIONS.filter(({ where }) => where.startsWith('README.md:')).map(({ anchor }) => anchor)).to.include(
      'rule-1',
    );

    expect(EXTERNAL_BRIEF.test('as ' + 'DESIGN' + '.md says')).to.equal(true);
    expect(EXTERNAL_BRIEF.test('../shared/' + 'DESIGN')).to.equal(true);
    expect(EXTERNAL_BRIEF.test('docs/design.md, rule 7')).to.equal(false);

    expect(headingSlug('Testing your app: the emulator')).to.equal('testing-your-app-the-emulator');
    expect(headingSlug('`signature_invalid` for a token that looks fine')).to.equal(
      'signature_invalid-for-a-token-that-looks-fine',
    );
    expect(headingSlug('Wycheproof ([test/x.ts](test/x.ts))')).to.equal('wycheproof-testxts');
    expect(anchorsOf('## Rules\n## Rules\n<a id="rule-1"></a>\n```\n## Not a heading\n```\n')).to.deep.equal(
      new Set(['rules', 'rules-1', 'rule-1']),
    );
    expect(
      linksOf('[a](a.md#x) `[b](b.md)`\n```\n[c](c.md)\n```\n[d]: d.md\n').map(({ target }) => target),
    ).to.deep.equal(['a.md#x', 'd.md']);
    expect(brokenLink('README.md', 'docs/no-such-file.md')).to.equal('no such file');
    expect(brokenLink('README.md', 'docs/design.md' + '#no-such-anchor')).to.equal('no such anchor');
    expect(brokenLink('docs/design.md', '../../shared/brief.md')).to.equal('points outside the repository');
  });

  it('no file cites a document outside the repository (the old brief beside it): docs/design.md is the contract', () => {
    const citing = FILES.flatMap(({ file, lines }) =>
      lines.flatMap((line, index) => (EXTERNAL_BRIEF.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(citing).to.deep.equal([]);
  });

  it('every docs/<file>.md#anchor cited in code, tests, the demo or a document exists in that file', () => {
    const missing = CITATIONS.filter(({ document, anchor }) => !anchorsIn(path.join(REPO_ROOT, document)).has(anchor));
    expect(missing.map(({ where, document, anchor }) => `${where}: ${document}#${anchor}`)).to.deep.equal([]);
  });

  it('every relative link in README.md, SECURITY.md and docs/ points to a file of the repository (and its anchor)', () => {
    const broken = DOCUMENTS.flatMap(({ file, lines }) =>
      linksOf(lines.join('\n')).flatMap(({ line, target }) => {
        const why = brokenLink(file, target);
        return why === undefined ? [] : [`${file}:${line}: ${target} (${why})`];
      }),
    );
    expect(broken).to.deep.equal([]);
  });
});
