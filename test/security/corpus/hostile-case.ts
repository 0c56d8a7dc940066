import type { SettingsInput } from '../../../src';
import type { EntraEmulator, MintOptions } from '../../../src/testing';
import type { AttackerHost } from '../support/attacker-host';
import type { Random } from '../../support/random';

export const PROTECTED_PATH = '/battery/protected';
/** Requires an app role no token of the battery holds: a valid token gets 403 there, never 2xx. */
export const ADMIN_PATH = '/battery/admin';
export const ADMIN_ROLE = 'Battery.Admin';

/** One hostile request and how it must be refused. */
export interface HostileCase {
  readonly name: string;
  readonly headers: Record<string, string | string[]>;
  /** Default {@link PROTECTED_PATH}. */
  readonly path?: string;
  /** Default 401; 403 only for a valid token on a route it is not authorized for; 431 is Node's own. */
  readonly expectedStatus?: 401 | 403 | 431;
  /** The token sent, so the response can be searched for it. */
  readonly token?: string;
}

export interface CorpusContext {
  readonly emulator: EntraEmulator;
  readonly attacker: AttackerHost;
  readonly random: Random;
}

/** An app (its own emulator, key set and settings) and the cases sent to it. */
export interface Scenario {
  readonly name: string;
  readonly settings?: SettingsInput;
  /** Shapes the emulator's key set before the app first fetches it. */
  prepare?(emulator: EntraEmulator): Promise<void> | void;
  cases(context: CorpusContext): HostileCase[];
}

/** The token kinds every forged variant is tried with: v2 user, v1 user, v2 app-only. */
export const TOKEN_KINDS: ReadonlyArray<{ readonly label: string; readonly options: MintOptions }> = [
  { label: 'v2 user', options: {} },
  { label: 'v1 user', options: { version: '1.0' } },
  { label: 'v2 app-only', options: { appOnly: true } },
];

export function bearerCase(name: string, token: string, overrides: Partial<HostileCase> = {}): HostileCase {
  return { name, headers: { Authorization: `Bearer ${token}` }, token, ...overrides };
}

/** One case per token kind, named `name (kind)`. */
export function perTokenKind(
  name: string,
  build: (options: MintOptions) => string,
  overrides: Partial<HostileCase> = {},
): HostileCase[] {
  return TOKEN_KINDS.map(({ label, options }) => bearerCase(`${name} (${label})`, build(options), overrides));
}
