import type { Settings } from './settings';
import { SETTING_ROWS, type SettingKey } from './settings-table';

export interface SettingDescription {
  /** The key in code (`SettingsInput`, `Settings`). */
  readonly key: SettingKey;
  /** Its environment variables, the main one first. */
  readonly variables: readonly string[];
  /** The value as a start-up log may print it: secrets never (a credential shows only its kind). */
  readonly value: string;
}

/** Every setting with its value, in the table's order: what an app may print at start-up. */
export function describeSettings(settings: Settings): SettingDescription[] {
  return SETTING_ROWS.map(({ key, variables, kind }) => {
    const value: unknown = settings[key];
    return { key, variables, value: value === undefined ? 'unset' : kind.show(value) };
  });
}
