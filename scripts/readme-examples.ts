import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `npm run docs:examples`: copies code from examples/ into the README's blocks that include it.
 *
 * A fenced block of README.md preceded by `<!-- include: examples/<file> -->` (or
 * `<!-- include: examples/<file>#<region> -->`) must hold exactly that file (or its region): the
 * file is the source, compiled and run by `npm test` (test/examples.test.ts), and this script
 * rewrites the block from it. test/readme-code.test.ts fails when a block differs. A region is the
 * lines between `// #region <name>` and `// #endregion`, dedented (several parts of one name are
 * joined by a blank line); region markers never appear in the README. docs/testing.md states the
 * rule.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const INCLUDE = /^(\s*)<!-- include: (\S+?)(?:#([\w-]+))? -->\s*$/;
const FENCE = /^(\s*)(```+|~~~+)\s*([\w-]*)/;
const REGION_START = /^\s*\/\/ #region (\S+)\s*$/;
const REGION_MARKER = /^\s*\/\/ #(?:region|endregion)\b/;

/** What an include marker asks for. */
export interface Include {
  /** Relative to the repository root, `/`-separated: `examples/commonjs/src/app.ts`. */
  readonly file: string;
  readonly region: string | undefined;
}

/** One fenced code block of a Markdown document. */
export interface CodeBlock {
  /** The fence's line, numbered from 1. */
  readonly line: number;
  /** `ts`, `sh`, `jsonc`, … as written after the fence; empty when none. */
  readonly language: string;
  /** The lines between the fences, without the fence's indentation. */
  readonly body: string;
  /** The include marker on the line before the fence, if any. */
  readonly include: Include | undefined;
  /** Where the body starts and ends in the document's lines (0-based, end exclusive), and its indentation. */
  readonly span: { readonly start: number; readonly end: number; readonly indent: string };
}

/** The languages whose blocks are TypeScript: they must be included from examples/ or compile on their own. */
export const TYPESCRIPT_LANGUAGES: readonly string[] = ['ts', 'typescript'];

/** Every fenced block, in order. An unclosed fence ends at the end of the document. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = FENCE.exec(lines[index]!);
    if (!opening) continue;
    const [, indent = '', fence = '```', language = ''] = opening;
    let end = index + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence)) end++;
    const marker = index > 0 ? INCLUDE.exec(lines[index - 1]!) : null;
    blocks.push({
      line: index + 1,
      language,
      body: lines
        .slice(index + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n'),
      include: marker ? { file: marker[2]!, region: marker[3] } : undefined,
      span: { start: index + 1, end, indent },
    });
    index = end;
  }
  return blocks;
}

/** Include markers that are not on the line right before a fenced block, by line number. */
export function strayIncludeMarkers(markdown: string): number[] {
  const lines = markdown.split('\n');
  return lines.flatMap((line, index) => (INCLUDE.test(line) && !FENCE.test(lines[index + 1] ?? '') ? [index + 1] : []));
}

/** What a block including `include` must hold: the file, or its region, without region markers. */
export function includedText(include: Include, read: (file: string) => string = readRepositoryFile): string {
  const lines = read(include.file).replace(/\n+$/, '').split('\n');
  let selected = lines;
  if (include.region !== undefined) {
    const parts = regionParts(lines, include);
    if (parts.length === 0) throw new Error(`${include.file} has no "// #region ${include.region}"`);
    // A region in several parts (imports at the top, code further down) reads as one, a blank line between parts.
    selected = parts.flatMap((part, index) => (index === 0 ? part : ['', ...part]));
  }
  return dedent(selected.filter((line) => !REGION_MARKER.test(line))).join('\n');
}

/** The lines of each `// #region <name>` … `// #endregion` of that name, in order. */
function regionParts(lines: readonly string[], include: Include): string[][] {
  const parts: string[][] = [];
  for (let start = 0; start < lines.length; start++) {
    if (REGION_START.exec(lines[start]!)?.[1] !== include.region) continue;
    let depth = 0;
    let end = start + 1;
    for (; end < lines.length; end++) {
      if (REGION_START.test(lines[end]!)) depth++;
      else if (/^\s*\/\/ #endregion\b/.test(lines[end]!) && depth-- === 0) break;
    }
    if (end === lines.length) throw new Error(`${include.file}: "// #region ${include.region}" has no #endregion`);
    parts.push(dedent(lines.slice(start + 1, end)));
    start = end;
  }
  return parts;
}

/** The document with every include-backed block rewritten from its file. */
export function withIncludedExamples(markdown: string, read?: (file: string) => string): string {
  const lines = markdown.split('\n');
  // From the last block up, so that earlier spans keep their positions.
  for (const block of codeBlocks(markdown).reverse()) {
    if (!block.include) continue;
    const text = includedText(block.include, read)
      .split('\n')
      .map((line) => (line === '' ? '' : block.span.indent + line));
    lines.splice(block.span.start, block.span.end - block.span.start, ...text);
  }
  return lines.join('\n');
}

function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common));
}

function readRepositoryFile(file: string): string {
  const full = path.resolve(ROOT, file);
  if (path.relative(ROOT, full).startsWith('..')) throw new Error(`${file} is outside the repository`);
  return readFileSync(full, 'utf8');
}

if (require.main === module) {
  const readme = path.join(ROOT, 'README.md');
  writeFileSync(readme, withIncludedExamples(readFileSync(readme, 'utf8')));
}
