import { ConfigurationError } from '../core/errors';
import { loadAppModule, type LoadedApp } from './app-module';
import { parseArguments, USAGE, type CliArguments } from './arguments';
import { createCliContext, type CliContext } from './cli-context';
import { doctor } from './doctor';
import { renderDoctorReport } from './doctor-report';
import { cliEnvironment, type Environment } from './environment';
import { explain } from './explain';
import { renderExplainReport } from './explain-report';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { jsonText, terminalText } from './printable';
import { UsageError } from './usage-error';

/** Where the CLI reads and writes: the process, or a test's buffers. */
export interface CliIo {
  readonly env: Environment;
  readStdin(): Promise<string>;
  /** Whether standard input is a terminal (then the token is asked for). */
  readonly stdinIsTerminal: boolean;
  out(text: string): void;
  err(text: string): void;
}

/**
 * `entra-auth …`: runs one command and returns its exit code. Whatever it writes passes the
 * escaper once more (./printable): a token is attacker-written text, and so is what a hostile
 * authority or Graph answers.
 */
export async function runCli(argv: readonly string[], processIo: CliIo): Promise<ExitCode> {
  const io: CliIo = {
    ...processIo,
    out: (text) => processIo.out(terminalText(text)),
    err: (text) => processIo.err(terminalText(text)),
  };
  let args: CliArguments | undefined;
  try {
    args = parseArguments(argv);
    if (args.command === 'help') {
      io.out(`${USAGE}\n`);
      return EXIT_CODES.ok;
    }
    const env = cliEnvironment(args.settingsFile, io.env);
    const app = args.app === undefined ? undefined : await loadAppModule(args.app);
    const context = createCliContext(env, app);
    if (args.command === 'explain') return await runExplain(args, io, context);
    return await runDoctor(args, io, context, app);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      report(io, args?.json === true, { error: 'configuration', problems: error.problems }, [
        'entra-auth: the configuration is invalid:',
        ...error.problems.map((problem) => `  - ${problem}`),
      ]);
      return EXIT_CODES.configuration;
    }
    if (error instanceof UsageError) {
      io.err(`entra-auth: ${error.message}\n\n${USAGE}\n`);
      return EXIT_CODES.configuration;
    }
    throw error;
  }
}

async function runExplain(args: CliArguments, io: CliIo, context: CliContext): Promise<ExitCode> {
  if (context.settings.middlewareDisabled) {
    throw UsageError.middlewareDisabled();
  }
  const token = await readToken(args, io);
  const result = await explain({ token, route: args.route, showPersonal: args.showPersonal }, context);
  if (args.json) io.out(`${jsonText(result)}\n`);
  else io.out(renderExplainReport(result, Math.floor(context.clock.now() / 1000)));
  return result.exitCode;
}

async function runDoctor(
  args: CliArguments,
  io: CliIo,
  context: CliContext,
  app: LoadedApp | undefined,
): Promise<ExitCode> {
  const result = await doctor(context, app !== undefined);
  if (args.json) io.out(`${jsonText(result)}\n`);
  else io.out(renderDoctorReport(result));
  return result.exitCode;
}

/** The token from the argument, or standard input (`-` or nothing); a pasted `Bearer ` is dropped. */
async function readToken(args: CliArguments, io: CliIo): Promise<string> {
  const fromStdin = args.token === undefined || args.token === '-';
  if (fromStdin && io.stdinIsTerminal) io.err('Paste the token, then press Ctrl-D.\n');
  const text = fromStdin ? await io.readStdin() : args.token!;
  const token = text.trim().replace(/^bearer\s+/i, '');
  if (token === '') throw UsageError.noToken();
  return token;
}

function report(io: CliIo, json: boolean, value: unknown, lines: readonly string[]): void {
  if (json) io.out(`${jsonText(value)}\n`);
  else io.err(`${lines.join('\n')}\n`);
}
