import { ConfigurationError } from '../errors';
import { isCompound, type SettingSource } from './setting-kind';
import { Settings } from './settings';
import { CROSS_FIELD_CHECKS } from './settings-checks';
import {
  SETTING_ROWS,
  describeVariables,
  type SettingKey,
  type SettingRow,
  type SettingsInput,
} from './settings-table';
import { validationProblems } from './settings-validation';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Builds and validates the settings from code values and the environment, row by row of the
 * settings table: a value given in code wins over its variable, then the default. Throws one
 * {@link ConfigurationError} naming every bad setting by its variable and what is expected.
 */
export function loadSettings(input: SettingsInput = {}, env: Environment = process.env): Settings {
  const problems: string[] = [];
  const refused = new Set<SettingKey>();
  const read: Record<string, unknown> = {};
  for (const row of SETTING_ROWS) {
    const refuse = (expectation: string): void => {
      problems.push(`${describeVariables(row.key)}: ${expectation}`);
      refused.add(row.key);
    };
    const source: SettingSource = {
      variables: row.variables,
      env: (variable) => nonEmpty(env[variable]),
      report: (problem) => problems.push(problem),
      refuse,
    };
    read[row.key] = readRow(row, input, source);
  }
  const values: Record<string, unknown> = {};
  for (const row of SETTING_ROWS) {
    values[row.key] = read[row.key] ?? ('derive' in row ? row.derive?.(read) : undefined) ?? row.default;
  }

  const settings = Object.assign(new Settings(), values);
  const validation = validationProblems(settings, refused);
  problems.push(...validation.problems);
  const valid = (key: SettingKey): boolean => !validation.invalid.has(key) && !refused.has(key);
  for (const check of CROSS_FIELD_CHECKS) problems.push(...check({ settings, valid, env }));
  if (problems.length > 0) throw new ConfigurationError(problems);

  for (const row of SETTING_ROWS) {
    if (settings.middlewareDisabled && 'whenDisabled' in row) values[row.key] ??= row.whenDisabled;
    const value = values[row.key];
    if (Array.isArray(value) || isPlainObject(value)) Object.freeze(value);
  }
  return Object.freeze(Object.assign(settings, values));
}

function readRow(row: SettingRow, input: Readonly<Record<string, unknown>>, source: SettingSource): unknown {
  const { kind } = row;
  if (isCompound(kind)) return kind.read(input, source);
  const code = input[row.key];
  const fromCode = code === undefined ? undefined : kind.fromCode(code, { key: row.key, refuse: source.refuse });
  if (fromCode !== undefined && fromCode !== null) return fromCode;
  const text = source.env(row.variables[0]);
  return text === undefined ? undefined : kind.fromText(text);
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
