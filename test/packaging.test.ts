import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { EntraEmulator, ManualClock } from '../src/testing';
import { REPO_ROOT } from './support/repo-paths';

const ROOT = REPO_ROOT;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PEERS = [
  'koa@^3.0.1',
  'routing-controllers@0.11.3',
  'tsyringe@^4.10.0',
  'reflect-metadata@^0.2.2',
  'class-validator@~0.14.4',
  'class-transformer@^0.5.1',
  'routing-controllers-openapi@^5.0.1',
  '@types/koa@^3',
  '@types/node@^20.19.0',
];

/**
 * What a consumer does in both module systems, through all five entry points: validate a real token
 * minted by the /testing emulator with the core, then over HTTP through a Koa app whose middleware
 * comes from /koa, set up by /routing-controllers' useEntraAuth, and document it with /openapi.
 */
const USAGE = (imports: string): string => `${imports}
const emulator = await EntraEmulator.start();
try {
  const container = tsyringe.container.createChildContainer();
  registerEntraAuth(container, {
    settings: { tenantId: emulator.tenants.primary.id, audiences: [emulator.apiClientId], jwksUrlTemplate: emulator.jwksUrlTemplate },
    env: {},
  });
  const provider = container.resolve(EntraIdProvider);
  const user = provider.createUserFromToken(await provider.verifyToken(emulator.mintAccessToken()));
  const app = new Koa();
  useEntraAuth(app, container, { controllers: [] });
  const document = entraSecurity(container, { controllers: [] }).addTo({ openapi: '3.0.0', info: { title: 'consumer', version: '1' }, paths: {} });
  app.use((ctx: any) => { ctx.body = (ctx.state as EntraAuthState).currentUser?.id ?? 'anonymous'; });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const response = await fetch('http://127.0.0.1:' + (server.address() as AddressInfo).port + '/', { headers: { authorization: 'Bearer ' + emulator.mintAccessToken() } });
  const overHttp = await response.text();
  server.close();
  container.resolve(JwksCache).close();
  console.log('verified ' + user.id + ' koa ' + (overHttp === user.id) + ' middleware ' + (typeof JwtAuthMiddleware) + ' openapi ' + document.openapi + ' ' + Object.keys(document.components.securitySchemes).join(','));
} finally {
  await emulator.close();
}
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Like run, but asynchronous (an emulator in this process must keep answering), with the exit code. */
function runAsync(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' }, (error, stdout) =>
      resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout }),
    );
  });
}

describe('Packaging: the npm tarball installs and works from CommonJS and from ESM TypeScript (nodenext)', function () {
  this.timeout(180000);
  let project: string;

  before(() => {
    project = mkdtempSync(path.join(tmpdir(), 'entra-auth-consumer-'));
    run('npm', ['pack', '--silent', '--pack-destination', project], ROOT);
    const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'));
    expect(tarball, 'npm pack wrote no tarball').to.be.a('string');
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, ...PEERS], project);
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  it('declares the framework packages as peers, never as dependencies (a second copy disables decorators)', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const frameworks = ['routing-controllers', 'tsyringe', 'koa', 'class-validator', 'reflect-metadata'];
    expect(Object.keys(manifest.peerDependencies)).to.include.members(frameworks);
    expect(Object.keys(manifest.dependencies).filter((name) => frameworks.includes(name))).to.deep.equal([]);
    const installed = run('npm', ['ls', '--all', '--parseable', 'tsyringe', 'routing-controllers'], project);
    expect(
      installed.split('\n').filter((line) => /node_modules\/(tsyringe|routing-controllers)$/.test(line)),
    ).to.have.length(2);
  });

  it('declares @opentelemetry/api an optional peer, which npm leaves uninstalled: the consumers below run without it', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.peerDependenciesMeta['@opentelemetry/api']).to.deep.equal({ optional: true });
    expect(Object.keys(manifest.dependencies)).to.not.include('@opentelemetry/api');
    expect(() => run(process.execPath, ['-e', "require.resolve('@opentelemetry/api')"], project)).to.throw();
  });

  it('loads no web framework from the root entry point (the core and the container only)', () => {
    writeFileSync(
      path.join(project, 'root-only.cjs'),
      `require('reflect-metadata');
require('entra-auth-middleware');
const loaded = Object.keys(require.cache).filter((file) => /node_modules[\\/](koa|@koa|routing-controllers)[\\/]/.test(file));
console.log(JSON.stringify(loaded));
`,
    );
    expect(JSON.parse(run(process.execPath, ['root-only.cjs'], project))).to.deep.equal([]);
  });

  it('ships only the built library: no tests, no demo, no sources of ours', () => {
    const listing = run('tar', ['-tzf', readdirSync(project).find((file) => file.endsWith('.tgz'))!], project);
    expect(listing).to.contain('package/dist/src/index.js');
    expect(listing).to.contain('package/dist/src/index.d.ts');
    expect(listing).to.contain('package/dist/src/testing/index.js');
    expect(listing).to.contain('package/dist/src/openapi/index.js');
    expect(listing).to.not.match(/package\/dist\/(test|demo)\//);
    expect(listing).to.not.match(/package\/src\//);
  });

  it('works from CommonJS through all five entry points (root, /koa, /routing-controllers, /testing, /openapi)', () => {
    writeFileSync(
      path.join(project, 'consumer.cjs'),
      `(async () => {\n${USAGE(`require('reflect-metadata');
const tsyringe = require('tsyringe');
const Koa = require('koa');
const { registerEntraAuth, EntraIdProvider, JwksCache } = require('entra-auth-middleware');
const { JwtAuthMiddleware } = require('entra-auth-middleware/koa');
const { useEntraAuth } = require('entra-auth-middleware/routing-controllers');
const { EntraEmulator } = require('entra-auth-middleware/testing');
const { entraSecurity } = require('entra-auth-middleware/openapi');`)
        .replace(/\(ctx: any\)/g, '(ctx)')
        .replace(/ as \w+\)/g, ')')}\n})().catch((error) => { console.error(error); process.exit(1); });\n`,
    );
    expect(run(process.execPath, ['consumer.cjs'], project)).to.match(
      /^verified [0-9a-f-]{36} koa true middleware function openapi 3\.1\.0 entraId,entraIdBearer\n$/,
    );
  });

  it('runs `npx entra-auth explain` and `npx entra-auth doctor` from the installed package (the bin)', async () => {
    const clock = new ManualClock(Date.now());
    const emulator = await EntraEmulator.start({ clock });
    try {
      const env = {
        ENTRA_TENANT_ID: emulator.tenants.primary.id,
        ENTRA_CLIENT_ID: emulator.apiClientId,
        AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
      };
      const valid = await runAsync(
        'npx',
        ['--no-install', 'entra-auth', 'explain', emulator.mintAccessToken()],
        project,
        env,
      );
      expect([valid.code, valid.stdout.split('\n')[0]]).to.deep.equal([0, 'entra-auth explain: VALID']);
      const graph = await runAsync(
        'npx',
        ['--no-install', 'entra-auth', 'explain', emulator.mintAccessToken({ microsoftGraph: true }), '--json'],
        project,
        env,
      );
      expect(graph.code).to.equal(1);
      expect(JSON.parse(graph.stdout).explanation.summary).to.equal('This token is for Microsoft Graph, not your API.');
      const doctor = await runAsync('npx', ['--no-install', 'entra-auth', 'doctor'], project, env);
      expect([doctor.code, doctor.stdout.trim().split('\n').at(-1)]).to.deep.equal([0, 'Usable (exit 0).']);
    } finally {
      await emulator.close();
    }
  });

  it('type-checks and works from ESM TypeScript with module nodenext through all five entry points', () => {
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          strict: true,
          types: ['node'],
          outDir: 'out',
        },
        files: ['consumer.mts'],
      }),
    );
    writeFileSync(
      path.join(project, 'consumer.mts'),
      USAGE(`import 'reflect-metadata';
import * as tsyringe from 'tsyringe';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { registerEntraAuth, EntraIdProvider, JwksCache, type EntraIdUser } from 'entra-auth-middleware';
import { JwtAuthMiddleware, type EntraAuthState } from 'entra-auth-middleware/koa';
import { useEntraAuth } from 'entra-auth-middleware/routing-controllers';
import { EntraEmulator } from 'entra-auth-middleware/testing';
import { entraSecurity } from 'entra-auth-middleware/openapi';
const typed: (user: EntraIdUser) => string = (user) => user.tenantId;
void typed;`),
    );
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(run(process.execPath, ['out/consumer.mjs'], project)).to.match(
      /^verified [0-9a-f-]{36} koa true middleware function openapi 3\.1\.0 entraId,entraIdBearer\n$/,
    );
  });
});
