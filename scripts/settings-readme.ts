import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isCompound } from '../src/core/settings/setting-kind';
import { SETTING_ROWS, describeVariables, type SettingRow } from '../src/core/settings/settings-table';

/**
 * `npm run docs:settings`: rewrites the README's configuration table from the settings table.
 * test/core/settings/settings-readme.test.ts fails when the README differs from what this writes.
 */

const START =
  '<!-- settings-table:start (generated from src/core/settings/settings-table.ts by `npm run docs:settings`) -->';
const END = '<!-- settings-table:end -->';

/** The Markdown table: one row per setting. */
export function settingsTable(): string {
  return [
    '| variable | in code | default | accepted | meaning |',
    '|---|---|---|---|---|',
    ...SETTING_ROWS.map((row) =>
      [
        row.variables.map(literal).join('<br>'),
        (isCompound(row.kind) ? row.kind.inputs : [row.key]).map(literal).join(', '),
        defaultOf(row),
        row.kind.accepted,
        row.doc,
      ]
        .map((cell) => cell.replaceAll('|', '\\|'))
        .join(' | '),
    ).map((line) => `| ${line} |`),
  ].join('\n');
}

/** The README with the text between the markers replaced by the table. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${START} … ${END}`);
  return `${readme.slice(0, start + START.length)}\n${settingsTable()}\n${readme.slice(end)}`;
}

function defaultOf(row: SettingRow): string {
  if ('whenDisabled' in row) {
    return `required; with ${literal(`${describeVariables('middlewareDisabled')}=true`)}: ${shown(row, row.whenDisabled)}`;
  }
  return 'default' in row ? shown(row, row.default) : 'unset';
}

function shown(row: SettingRow, value: unknown): string {
  const text = row.kind.show(value);
  return text === 'none' ? text : literal(text);
}

function literal(text: string): string {
  return `\`${text}\``;
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', '..', 'README.md');
  writeFileSync(file, withSettingsTable(readFileSync(file, 'utf8')));
}
