import { parseArgs } from 'node:util';
import { UsageError, type OptionName } from './usage-error';

export interface CliArguments {
  readonly command: 'explain' | 'doctor' | 'help';
  /** explain: the token, or `-` (or nothing) for standard input. */
  readonly token?: string;
  /** explain: `"GET /admin/users"`, judged against the controllers `app` loads. */
  readonly route?: string;
  /** A module to load first: the app's controllers, or the module exporting its container. */
  readonly app?: string;
  /** A file of NAME=value lines, read as `node --env-file` reads them, under the environment. */
  readonly settingsFile?: string;
  readonly json: boolean;
  readonly showPersonal: boolean;
}

export const USAGE = `Usage:
  entra-auth explain [token | -] [--route "GET /path" --app <module>] [--settings-file <file>] [--json] [--show-personal]
  entra-auth doctor [--app <module>] [--settings-file <file>] [--json]

Settings come from the environment (AUTH_PROVIDER_AZURE_ENTRA_ID_*, ENTRA_*), as the library reads
them; --settings-file adds the variables of a .env file (the environment wins, as with node
--env-file). When the --app module exports \`container\` (a tsyringe container given to
registerEntraAuth), its settings, HTTP client and providers are used instead. --app takes the
compiled module: a .js, .cjs or .mjs file.

explain   runs the validator on the token (an argument, or standard input) and prints each rule,
          the fix for the first that fails, the user it builds and, with --route, whether the
          route's @Authorized lets it through. Exit 0 valid, 1 refused, 2 configuration error,
          3 keys unavailable.
doctor    checks the configuration against the authority (tenant, discovery, keys, clock skew),
          Microsoft Graph and the API's app registration. Exit 0 only when everything is usable.

Never printed: the token, its signature, secrets; names and emails only with --show-personal.`;

type OptionType = 'string' | 'boolean';

const COMMON_OPTIONS: Readonly<Partial<Record<OptionName, OptionType>>> = {
  app: 'string',
  'settings-file': 'string',
  json: 'boolean',
};
const EXPLAIN_OPTIONS: Readonly<Partial<Record<OptionName, OptionType>>> = {
  ...COMMON_OPTIONS,
  route: 'string',
  'show-personal': 'boolean',
};

/**
 * Reads the command line; throws UsageError for anything it cannot act on. Node's parseArgs
 * reads it, not strictly: its strict errors repeat the argument, and the argument is often the
 * token, so each mistake is named here by its option or its position.
 */
export function parseArguments(argv: readonly string[]): CliArguments {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', json: false, showPersonal: false };
  }
  if (command !== 'explain' && command !== 'doctor') throw UsageError.unknownCommand();
  const known = command === 'explain' ? EXPLAIN_OPTIONS : COMMON_OPTIONS;
  const options = Object.fromEntries(Object.entries(known).map(([name, type]) => [name, { type }]));
  const { tokens } = parseArgs({ args: [...rest], options, strict: false, allowPositionals: true, tokens: true });
  const values: Partial<Record<OptionName, string | true>> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    // Positions count from 1 with the command: `entra-auth explain <token>` has the token at 2.
    const position = token.index + 2;
    if (token.kind === 'positional') {
      if (command === 'doctor') throw UsageError.unexpectedArgument(position);
      positionals.push(token.value);
    } else if (token.kind === 'option') {
      const name = token.name as OptionName;
      const type = Object.hasOwn(known, name) ? known[name] : undefined;
      if (type === undefined) throw UsageError.unknownOption(command, position);
      if (type === 'boolean') {
        if (token.value !== undefined) throw UsageError.unexpectedValue(name);
        values[name] = true;
      } else {
        // As parseArgs' strict mode: `--app --json` is a missing value, not the module "--json".
        if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
          throw UsageError.missingValue(name);
        }
        values[name] = token.value;
      }
    }
  }
  if (positionals.length > 1) throw UsageError.tooManyTokens();
  const string = (name: OptionName) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const route = string('route');
  const app = string('app');
  if (route !== undefined && app === undefined) throw UsageError.routeWithoutApp();
  return {
    command,
    token: positionals[0],
    route,
    app,
    settingsFile: string('settings-file'),
    json: values.json === true,
    showPersonal: values['show-personal'] === true,
  };
}
