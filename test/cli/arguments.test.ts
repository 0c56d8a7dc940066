import { expect } from 'chai';
import { EntraEmulator } from '../../src/testing';
import { SAMPLE_API, emulatorEnv, expectNothingSecret, runCli } from './support/cli-process';

describe('CLI: a command-line mistake is named by its option or position, never by repeating what was typed', function () {
  this.timeout(60_000);
  let emulator: EntraEmulator;

  before(async () => {
    emulator = await EntraEmulator.start();
  });
  after(() => emulator.close());

  /** Runs the CLI, expecting exit 2 and `message` on standard error, with neither the token nor any of its segments anywhere. */
  async function expectUsageError(args: readonly string[], token: string, message: string | RegExp): Promise<void> {
    const run = await runCli(args, emulatorEnv(emulator));
    expect(run.code, run.output).to.equal(2);
    if (typeof message === 'string') expect(run.stderr).to.include(`entra-auth: ${message}\n`);
    else expect(run.stderr).to.match(message);
    expectNothingSecret(run, token, emulator);
  }

  it('the token where a command belongs, or given to doctor: the command is named, the token is not printed', async () => {
    const token = emulator.mintAccessToken();
    await expectUsageError([token], token, 'unknown command: the first argument is explain, doctor or help');
    await expectUsageError(['doctor', token], token, 'doctor takes no token or other argument (argument 2)');
  });

  it('the token given to an option, or as an option: the option or the position is named, the token is not printed', async () => {
    const token = emulator.mintAccessToken();
    await expectUsageError(['explain', `--token=${token}`], token, 'argument 2 is not an option of explain');
    await expectUsageError(['explain', token, `--${token}`], token, 'argument 3 is not an option of explain');
    await expectUsageError(['explain', token, `--json=${token}`], token, '--json takes no value');
    await expectUsageError(['explain', token, token], token, 'explain takes one token (or "-" for standard input)');
    await expectUsageError(
      ['explain', token, '--route', 'GET /x', '--app', token],
      token,
      '--app: the module must be compiled JavaScript, a file ending in .js, .cjs or .mjs',
    );
    await expectUsageError(
      ['explain', token, '--route', 'GET /x', '--app', `${token}.js`],
      token,
      '--app: the module cannot be loaded (ERR_MODULE_NOT_FOUND); running it with node shows why',
    );
    await expectUsageError(
      ['explain', token, '--settings-file', token],
      token,
      // A file name that long is refused by the file system before it is looked for.
      /^entra-auth: --settings-file: the file cannot be read \((ENOENT|ENAMETOOLONG)\)\n/,
    );
    await expectUsageError(
      ['explain', token, '--route', token, '--app', SAMPLE_API],
      token,
      '--route: expected a method and a path, e.g. "GET /admin/users"',
    );
  });

  it('an option without its value, or with one it does not take: named, exit 2', async () => {
    const token = emulator.mintAccessToken();
    await expectUsageError(['explain', token, '--app'], token, '--app needs a value');
    await expectUsageError(['doctor', '--settings-file', '--json'], token, '--settings-file needs a value');
    await expectUsageError(['explain', token, '--show-personal=yes'], token, '--show-personal takes no value');
    await expectUsageError(['doctor', '--route', 'GET /x'], token, 'argument 2 is not an option of doctor');
  });
});
