import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

export interface CliArguments {
  readonly command: 'explain' | 'doctor' | 'help';
  /** explain: the token, or `-` (or nothing) for standard input. */
  readonly token?: string;
  /** explain: `"GET /admin/users"`, judged against the controllers `app` loads. */
  readonly route?: string;
  /** A module to load first: the app's controllers, or the module exporting its container. */
  readonly app?: string;
  readonly envFile?: string;
  readonly json: boolean;
  readonly showPersonal: boolean;
}

export const USAGE = `Usage:
  entra-auth explain [token | -] [--route "GET /path" --app <module>] [--env-file <file>] [--json] [--show-personal]
  entra-auth doctor [--app <module>] [--env-file <file>] [--json]

Settings come from the environment (AUTH_PROVIDER_AZURE_ENTRA_ID_*, ENTRA_*), as the library reads
them; --env-file adds a file's variables (the environment wins, as with node --env-file). When the
--app module exports \`container\` (a tsyringe container given to registerEntraAuth), its settings,
HTTP client and providers are used instead.

explain   runs the validator on the token (an argument, or standard input) and prints each rule,
          the fix for the first that fails, the user it builds and, with --route, whether the
          route's @Authorized lets it through. Exit 0 valid, 1 refused, 2 configuration error,
          3 keys unavailable.
doctor    checks the configuration against the authority (tenant, discovery, keys, clock skew),
          Microsoft Graph and the API's app registration. Exit 0 only when everything is usable.

Never printed: the token, its signature, secrets; names and emails only with --show-personal.`;

/** Reads the command line; throws UsageError for anything it cannot act on. */
export function parseArguments(argv: readonly string[]): CliArguments {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', json: false, showPersonal: false };
  }
  if (command !== 'explain' && command !== 'doctor') throw new UsageError(`unknown command "${command}"`);
  const explaining = command === 'explain';
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: explaining,
      strict: true,
      options: {
        app: { type: 'string' },
        'env-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        ...(explaining ? { route: { type: 'string' }, 'show-personal': { type: 'boolean', default: false } } : {}),
      },
    });
  } catch (error) {
    // parseArgs names the option, never a value: safe to repeat.
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('explain takes one token (or "-" for standard input)');
  const route = values.route as string | undefined;
  const app = values.app as string | undefined;
  if (route !== undefined && app === undefined) {
    throw new UsageError('--route needs --app <module>, the module that defines the controllers');
  }
  return {
    command,
    token: positionals[0],
    route,
    app,
    envFile: values['env-file'] as string | undefined,
    json: values.json === true,
    showPersonal: values['show-personal'] === true,
  };
}
