import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from './usage-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The variables the settings are read from: the process environment over the `--env-file`, as
 * `node --env-file` orders them, so the CLI reads what the app started that way reads.
 */
export function cliEnvironment(envFile: string | undefined, processEnv: Environment): Environment {
  if (envFile === undefined) return processEnv;
  let text: string;
  try {
    text = readFileSync(envFile, 'utf8');
  } catch {
    throw new UsageError(`--env-file ${envFile}: the file cannot be read`);
  }
  return { ...parseEnv(text), ...processEnv };
}
