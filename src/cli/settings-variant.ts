import { Settings } from '../core/settings/settings';

/**
 * The same settings with a few values replaced, to ask the authority about a variant: another
 * tenant of `ALLOWED_TENANTS`, or the key set of an application's custom signing keys.
 */
export function settingsWith(
  settings: Settings,
  overrides: Partial<Pick<Settings, 'tenantId' | 'signingKeysAppId'>>,
): Settings {
  return Object.freeze(Object.assign(Object.create(Settings.prototype) as Settings, settings, overrides));
}
