import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { EntraEmulator, ManualClock } from '../src/testing';
import { packedConsumer, run } from './support/packed-package';
import { REPO_ROOT } from './support/repo-paths';

const ROOT = REPO_ROOT;
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

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
    project = packedConsumer().dir;
  });

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

  it('ships the built library, the sources its maps name and the LICENSE: no tests, no demo, no benchmark', () => {
    const listing = tarListing();
    expect(listing).to.include.members([
      'package/dist/src/index.js',
      'package/dist/src/index.d.ts',
      'package/dist/src/testing/index.js',
      'package/dist/src/openapi/index.js',
      'package/LICENSE',
      'package/src/index.ts',
    ]);
    expect(listing.filter((file) => /^package\/(dist\/)?(test|demo|scripts|examples)\//.test(file))).to.deep.equal([]);
  });

  it('ships the MIT license the manifest names', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).license).to.equal('MIT');
    const license = readFileSync(path.join(project, 'node_modules', 'entra-auth-middleware', 'LICENSE'), 'utf8');
    expect(license).to.match(/^MIT License\n/);
    expect(license).to.contain('Permission is hereby granted, free of charge');
  });

  it('ships a source map for each module, and the very source file each map names (stack traces name files that exist)', () => {
    const installed = path.join(project, 'node_modules', 'entra-auth-middleware');
    const listing = new Set(tarListing());
    const modules = [...listing].filter((file) => file.endsWith('.js'));
    expect(modules.length).to.be.greaterThan(50);
    const unresolved: string[] = [];
    for (const module of modules) {
      const relative = module.slice('package/'.length);
      const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(path.join(installed, relative), 'utf8'))?.[1];
      const mapFile = mapUrl && path.posix.join(path.posix.dirname(relative), mapUrl);
      if (!mapFile || !listing.has(`package/${mapFile}`)) {
        unresolved.push(`${relative}: map ${mapFile ?? 'missing'}`);
        continue;
      }
      const map = JSON.parse(readFileSync(path.join(installed, mapFile), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of map.sources) {
        const sourceFile = path.posix.normalize(
          path.posix.join(path.posix.dirname(mapFile), map.sourceRoot ?? '', source),
        );
        if (!listing.has(`package/${sourceFile}`)) unresolved.push(`${mapFile}: names ${sourceFile}, not shipped`);
      }
    }
    expect(unresolved).to.deep.equal([]);
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

/** The tarball's entries (`package/...`). */
function tarListing(): string[] {
  const { dir, tarball } = packedConsumer();
  return run('tar', ['-tzf', tarball], dir)
    .split('\n')
    .filter((line) => line.length > 0);
}
