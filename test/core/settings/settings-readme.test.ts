import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { settingsTable, withSettingsTable } from '../../../scripts/settings-readme';
import { SETTING_ROWS } from '../../../src/core/settings/settings-table';
import { REPO_ROOT } from '../../support/repo-paths';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

describe('README: the Configuration table is the settings table', () => {
  it('is exactly what `npm run docs:settings` writes from src/core/settings/settings-table.ts (run it after changing a setting)', () => {
    const generated = withSettingsTable(README);
    const differing = README.split('\n').filter((line, index) => line !== generated.split('\n')[index]);
    expect(differing, 'README lines that differ from the settings table').to.deep.equal([]);
    expect(generated).to.equal(README);
  });

  it('has one line per setting, naming each of its variables and keys in code', () => {
    const lines = settingsTable().split('\n').slice(2);
    expect(lines).to.have.length(SETTING_ROWS.length);
    SETTING_ROWS.forEach((row, index) => {
      for (const variable of row.variables) expect(lines[index]).to.contain(`\`${variable}\``);
      expect(lines[index]).to.contain(row.doc);
    });
  });

  it('refuses to rewrite a README without the markers rather than losing the table', () => {
    expect(() => withSettingsTable('# A README without the table\n')).to.throw(/markers/);
  });
});
