import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { INSTRUMENTS, type InstrumentDefinition } from '../../../src/core/telemetry/instruments';
import { REPO_ROOT } from '../../support/repo-paths';

interface ListedInstrument {
  readonly name: string;
  readonly cells: readonly string[];
}

/** The rows of the first table in `section` whose first cell names an `entra_auth.…` instrument. */
function instrumentRows(document: string, section: string): ListedInstrument[] {
  const text = readFileSync(path.join(REPO_ROOT, document), 'utf8');
  const start = text.indexOf(section);
  expect(start, `${document}: ${section}`).to.be.greaterThan(-1);
  return text
    .slice(start)
    .split('\n')
    .filter((line) => /^\s*\| `entra_auth\./.test(line))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    )
    .map((cells) => ({ name: /^`([^`]+)`/.exec(cells[0]!)![1]!, cells }))
    .filter((row, index, rows) => rows.findIndex((other) => other.name === row.name) === index);
}

/** The attribute names of a table cell: backticked words outside parentheses (which hold their values). */
function attributeNames(cell: string): string[] {
  let depth = 0;
  let outside = '';
  for (const character of cell) {
    if (character === '(') depth++;
    if (depth === 0) outside += character;
    if (character === ')') depth--;
  }
  return [...outside.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
}

/** The contract's attribute cell: `name` = values, …; one attribute per `;`-separated part. */
function contractAttributeNames(cell: string): string[] {
  if (cell === 'none') return [];
  return cell.split(';').map((part) => /`([^`]+)`/.exec(part)![1]!);
}

function prometheusName(definition: InstrumentDefinition): string {
  return definition.name.replace(/\./g, '_') + (definition.kind === 'counter' ? '_total' : '');
}

const DEFINITIONS: readonly InstrumentDefinition[] = Object.values(INSTRUMENTS);

describe('Instruments: one table in the code, listed alike in the README and the contract', () => {
  it('README.md, Observability: every instrument, its Prometheus name, kind and attributes', () => {
    const rows = instrumentRows('README.md', '## Observability');
    expect(rows.map((row) => row.name)).to.deep.equal(DEFINITIONS.map((definition) => definition.name));
    for (const definition of DEFINITIONS) {
      const [instrument, kind, attributes] = rows.find((row) => row.name === definition.name)!.cells;
      expect(instrument, definition.name).to.equal(`\`${definition.name}\` (\`${prometheusName(definition)}\`)`);
      expect(kind!.startsWith(definition.kind), definition.name).to.equal(true);
      expect(attributeNames(attributes!), definition.name).to.deep.equal(definition.attributes);
    }
  });

  it('docs/design.md, M2: every instrument, its kind, unit and attributes', () => {
    const rows = instrumentRows('docs/design.md', '## Telemetry');
    expect(rows.map((row) => row.name)).to.deep.equal(DEFINITIONS.map((definition) => definition.name));
    for (const definition of DEFINITIONS) {
      const [, kind, unit, attributes] = rows.find((row) => row.name === definition.name)!.cells;
      expect([kind, unit], definition.name).to.deep.equal([definition.kind, `\`${definition.unit}\``]);
      expect(contractAttributeNames(attributes!), definition.name).to.deep.equal(definition.attributes);
    }
  });
});
