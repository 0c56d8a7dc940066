import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import {
  TYPESCRIPT_LANGUAGES,
  codeBlocks,
  includedText,
  strayIncludeMarkers,
  withIncludedExamples,
} from '../scripts/readme-examples';
import { EXAMPLES, exampleProjects } from './support/packed-package';
import { REPO_ROOT } from './support/repo-paths';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** What to do when a block differs from its file: the same sentence in every message. */
const FIX =
  'the file under examples/ is the source (npm test compiles and runs it): edit it, not the README, then run `npm run docs:examples` to copy it into README.md';

describe('README: code blocks are executable documentation (docs/testing.md#readme-code)', () => {
  it('reads blocks, include markers and regions as documented (the checks themselves work)', () => {
    const files: Record<string, string> = {
      'examples/x/src/a.ts':
        "import x from 'x';\n\n// #region shown\n  const a = x;\n  // #region inner\n  use(a);\n  // #endregion inner\n// #endregion shown\n",
    };
    const read = (file: string): string => files[file]!;
    expect(includedText({ file: 'examples/x/src/a.ts', region: 'shown' }, read)).to.equal('const a = x;\nuse(a);');
    expect(includedText({ file: 'examples/x/src/a.ts', region: undefined }, read)).to.equal(
      "import x from 'x';\n\n  const a = x;\n  use(a);",
    );
    const markdown = [
      '- a list item:',
      '  <!-- include: examples/x/src/a.ts#shown -->',
      '  ```ts',
      '  const a = stale;',
      '  ```',
      '',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    const blocks = codeBlocks(markdown);
    expect(blocks.map(({ line, language, include }) => ({ line, language, include }))).to.deep.equal([
      { line: 3, language: 'ts', include: { file: 'examples/x/src/a.ts', region: 'shown' } },
      { line: 7, language: 'sh', include: undefined },
    ]);
    expect(withIncludedExamples(markdown, read).split('\n').slice(2, 6)).to.deep.equal([
      '  ```ts',
      '  const a = x;',
      '  use(a);',
      '  ```',
    ]);
    const split =
      "import a from 'a';\n// #region two\nimport b from 'b';\n// #endregion\nconst c = 1;\n  // #region two\n  b(a);\n  // #endregion\n";
    expect(includedText({ file: 'split.ts', region: 'two' }, () => split)).to.equal("import b from 'b';\n\nb(a);");
    expect(strayIncludeMarkers('<!-- include: examples/x/src/a.ts -->\n\n```ts\n```\n')).to.deep.equal([1]);
  });

  it('every include marker sits on the line right before a code block', () => {
    expect(strayIncludeMarkers(README).map((line) => `README.md:${line}`)).to.deep.equal([]);
  });

  it('every include names a file of a project under examples/ that npm test compiles (and a region it has)', () => {
    const projects = exampleProjects();
    const problems = codeBlocks(README).flatMap(({ line, include }) => {
      if (!include) return [];
      const project = /^examples\/([^/]+)\//.exec(include.file)?.[1];
      if (!project || !projects.includes(project)) {
        return [
          `README.md:${line}: ${include.file} is not in a project under examples/ (a folder with a package.json)`,
        ];
      }
      if (!existsSync(path.join(REPO_ROOT, include.file))) return [`README.md:${line}: ${include.file} does not exist`];
      try {
        includedText(include);
        return [];
      } catch (error) {
        return [`README.md:${line}: ${(error as Error).message}`];
      }
    });
    expect(problems).to.deep.equal([]);
  });

  it('every included block is identical to its file (or region)', () => {
    const expected = withIncludedExamples(README).split('\n');
    const differing = codeBlocks(README)
      .filter(
        ({ include, span }) =>
          include &&
          expected.slice(span.start, span.end).join('\n') !== README.split('\n').slice(span.start, span.end).join('\n'),
      )
      .map(
        ({ line, include }) =>
          `README.md:${line}: differs from ${include!.file}${include!.region ? `#${include!.region}` : ''}; ${FIX}`,
      );
    expect(differing).to.deep.equal([]);
    expect(expected.join('\n'), `README.md differs from what \`npm run docs:examples\` writes; ${FIX}`).to.equal(
      README,
    );
  });

  it('holds the complete CommonJS app and its emulator test, file by file, so that following the README alone builds it', () => {
    const included = new Set(
      codeBlocks(README).flatMap(({ include }) => (include && !include.region ? [include.file] : [])),
    );
    const app = path.join(EXAMPLES, 'commonjs');
    const files = ['tsconfig.json', '.mocharc.json', ...filesUnder(app, 'src'), ...filesUnder(app, 'test')].map(
      (file) => `examples/commonjs/${file}`,
    );
    expect(files.filter((file) => !included.has(file))).to.deep.equal([]);
    expect(files.length).to.be.greaterThan(6);
    const typescript = codeBlocks(README).filter(({ language }) => TYPESCRIPT_LANGUAGES.includes(language));
    expect(typescript.filter(({ include }) => include).length).to.be.greaterThan(5);
  });
});

/** The files under a folder of a project, relative to the project, `/`-separated. */
function filesUnder(project: string, folder: string): string[] {
  return readdirSync(path.join(project, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(project, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}
