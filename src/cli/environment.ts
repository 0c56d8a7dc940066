import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { errorKind } from './error-kind';
import { UsageError } from './usage-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The variables the settings are read from: the process environment over the `--settings-file`,
 * as `node --env-file` orders them, so the CLI reads what the app started that way reads. The
 * file's variables go to the settings only: a NODE_OPTIONS line in it is a setting nobody reads.
 */
export function cliEnvironment(settingsFile: string | undefined, processEnv: Environment): Environment {
  if (settingsFile === undefined) return processEnv;
  let text: string;
  try {
    text = readFileSync(settingsFile, 'utf8');
  } catch (error) {
    throw UsageError.settingsFileUnreadable(errorKind(error));
  }
  return { ...parseEnv(text), ...processEnv };
}
