import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './support/free-port';
import * as path from 'node:path';
import { expect } from 'chai';
import { TYPESCRIPT_LANGUAGES, codeBlocks } from '../scripts/readme-examples';
import { EntraEmulator } from '../src/testing';
import { EXAMPLES, exampleProjects, packedConsumer, run, type PackedConsumer } from './support/packed-package';
import { REPO_ROOT } from './support/repo-paths';

/**
 * The projects under examples/ as users build them: copied next to the packed library (installed
 * from its tarball with the examples' dependencies), compiled with their own tsconfig by the
 * TypeScript npm installs, their mocha tests run, their main.ts started from the environment.
 */

/** Copies a project into the consumer (without build output or node_modules) and returns its folder there. */
function copyProject(consumer: PackedConsumer, project: string, as: string = project): string {
  const target = path.join(consumer.dir, as);
  rmSync(target, { recursive: true, force: true });
  cpSync(path.join(EXAMPLES, project), target, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
  return target;
}

/** Runs a tool installed in the consumer; a failure shows what it printed. */
function tool(consumer: PackedConsumer, script: string, args: string[], cwd: string): string {
  try {
    return run(process.execPath, [path.join(consumer.dir, 'node_modules', ...script.split('/')), ...args], cwd);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${script} ${args.join(' ')} failed in ${path.relative(consumer.dir, cwd)}:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
}

const TSC = 'typescript/bin/tsc';
const MOCHA = 'mocha/bin/mocha.js';

/** The environment a deployment gives main.ts: this process's, without any setting of ours. */
function deploymentEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(AUTH_PROVIDER_AZURE_ENTRA_ID_|ENTRA_|AUTH_MIDDLEWARE_)/.test(name),
    ),
  );
  return { ...inherited, NODE_ENV: 'production', ...settings };
}

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exitCode: Promise<number | null>;
}

/** Starts `node dist/src/main.js` in a project folder; resolves once it printed a line or exited. */
async function startMain(cwd: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstWords = new Promise<void>((resolve) => {
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('\n')) resolve();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void exitCode.then(() => resolve());
  });
  await firstWords;
  return { child, output: () => output, exitCode };
}

describe('Examples: each project under examples/ compiles against the packed library, and its tests and start pass', function () {
  this.timeout(300_000);
  let consumer: PackedConsumer;
  let emulator: EntraEmulator;

  before(async () => {
    consumer = packedConsumer('examples');
    emulator = await EntraEmulator.start();
  });
  after(() => emulator.close());

  it('finds the CommonJS and the ESM app, and the snippets behind the README', () => {
    expect(exampleProjects()).to.include.members(['commonjs', 'esm', 'snippets']);
    expect(JSON.parse(readFileSync(path.join(EXAMPLES, 'commonjs', 'package.json'), 'utf8')).type).to.equal('commonjs');
    expect(JSON.parse(readFileSync(path.join(EXAMPLES, 'esm', 'package.json'), 'utf8')).type).to.equal('module');
  });

  /** Each project is copied and compiled once; the start tests run what the compile test built. */
  const compiled = new Map<string, string>();
  function compiledProject(project: string): string {
    if (!compiled.has(project)) {
      const dir = copyProject(consumer, project);
      tool(consumer, TSC, ['-p', '.'], dir);
      compiled.set(project, dir);
    }
    return compiled.get(project)!;
  }

  for (const project of exampleProjects()) {
    const hasTests = existsSync(path.join(EXAMPLES, project, 'test'));
    it(`examples/${project}: tsc compiles it with its own tsconfig${hasTests ? ', and its mocha tests pass' : ''}`, () => {
      const dir = compiledProject(project);
      if (!hasTests) return;
      const report = tool(consumer, MOCHA, [], dir);
      expect(report).to.match(/\b[1-9]\d* passing\b/);
      expect(report).to.not.match(/\bfailing\b|\bpending\b/);
    });
  }

  for (const project of ['commonjs', 'esm']) {
    it(`examples/${project}: main.ts starts from the environment (npm start), serves a token, and stops on SIGTERM`, async () => {
      const dir = compiledProject(project);
      const port = await freePort();
      const main = await startMain(
        dir,
        deploymentEnv({
          PORT: String(port),
          ENTRA_TENANT_ID: emulator.tenants.primary.id,
          ENTRA_CLIENT_ID: emulator.apiClientId,
          AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
          AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES: `Administrators=${emulator.groups.administrators}`,
        }),
      );
      try {
        expect(main.output()).to.contain(`listening on http://localhost:${port}`);
        const route = project === 'commonjs' ? '/me' : '/orders/mine';
        const token = emulator.mintAccessToken({ scopes: ['access_as_user', 'Orders.Read'] });
        const response = await fetch(`http://127.0.0.1:${port}${route}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status, main.output()).to.equal(200);
      } finally {
        main.child.kill('SIGTERM');
      }
      expect(await main.exitCode, main.output()).to.equal(0);
    });
  }

  for (const missing of [['experimentalDecorators', 'emitDecoratorMetadata'], ['emitDecoratorMetadata']]) {
    it(`examples/commonjs compiled without ${missing.join(' and ')}: the start fails, naming both tsconfig flags`, async () => {
      const dir = copyProject(consumer, 'commonjs', `commonjs-without-${missing.join('-')}`);
      const tsconfig = readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
      const stripped = missing.reduce(
        (text, flag) => text.replace(new RegExp(`^\\s*"${flag}": true,\\n`, 'm'), ''),
        tsconfig,
      );
      expect(stripped).to.not.equal(tsconfig);
      writeFileSync(path.join(dir, 'tsconfig.json'), stripped);
      // tsc still writes JavaScript, type errors or not: that is what a newcomer runs.
      try {
        run(process.execPath, [path.join(consumer.dir, 'node_modules', ...TSC.split('/')), '-p', '.'], dir);
      } catch {
        // Decorators without experimentalDecorators are type errors too; the output is written anyway.
      }
      const main = await startMain(
        dir,
        deploymentEnv({
          ENTRA_TENANT_ID: emulator.tenants.primary.id,
          ENTRA_CLIENT_ID: emulator.apiClientId,
          AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
          AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES: `Administrators=${emulator.groups.administrators}`,
          PORT: String(await freePort()),
        }),
      );
      const code = await Promise.race([
        main.exitCode,
        new Promise((resolve) => setTimeout(resolve, 10_000, 'running')),
      ]);
      if (code === 'running') main.child.kill('SIGTERM');
      expect(code, main.output()).to.equal(1);
      expect(main.output()).to.contain('"experimentalDecorators": true and "emitDecoratorMetadata": true');
    });
  }

  it('every ts block of README.md without an include marker compiles on its own, as a module, against the packed library', () => {
    const blocks = codeBlocks(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')).filter(
      ({ language, include }) => TYPESCRIPT_LANGUAGES.includes(language) && !include,
    );
    const dir = path.join(consumer.dir, 'readme-blocks');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const tsconfig = JSON.parse(
      readFileSync(path.join(EXAMPLES, 'snippets', 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
    );
    tsconfig.compilerOptions = { ...tsconfig.compilerOptions, noEmit: true, moduleDetection: 'force' };
    tsconfig.include = ['*.ts'];
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    for (const block of blocks) writeFileSync(path.join(dir, `readme-line-${block.line}.ts`), `${block.body}\n`);
    if (blocks.length === 0) return;
    try {
      run(process.execPath, [path.join(consumer.dir, 'node_modules', ...TSC.split('/')), '-p', '.'], dir);
    } catch (error) {
      const errors = String((error as { stdout?: string }).stdout ?? error).replace(
        /readme-line-(\d+)\.ts\((\d+),(\d+)\)/g,
        'README.md, the block at line $1 (its line $2, column $3)',
      );
      expect.fail(
        `${errors}\nA ts block of README.md that is not included from examples/ must compile on its own as a module (its imports included). Or move the code into a file under examples/ (a fragment: examples/snippets/src/, adding any package it needs to examples/snippets/package.json), mark the part to show with // #region <name> … // #endregion, put <!-- include: examples/snippets/src/<file>.ts#<name> --> on the line before the block, and run \`npm run docs:examples\` (docs/testing.md#readme-code).`,
      );
    }
  });
});
