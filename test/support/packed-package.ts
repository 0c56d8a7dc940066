import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './repo-paths';

/** A project outside the repository where the packed library is installed as users install it. */
export interface PackedConsumer {
  /** The project's folder: its node_modules holds the tarball's package, the peers and the examples' dependencies. */
  readonly dir: string;
  /** The tarball's file name, in `dir`. */
  readonly tarball: string;
}

/** The peers, at the ranges the package declares, routing-controllers-openapi (the /openapi usage), and the types its `.d.ts` files need. */
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

export const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** What a consumer installs beside the tarball: the peers only, or also every example's dependencies. */
export type ConsumerKind = 'peers' | 'examples';

const consumers = new Map<ConsumerKind, PackedConsumer>();
let packed: string | undefined;

/**
 * `npm pack` of the built library (packed once per test run), installed in a project outside the
 * repository as users install it, once per kind: with the peers only (test/packaging.test.ts:
 * what a bare install gives, optional peers left out), or also with every dependency the projects
 * under examples/ declare (test/examples.test.ts: an example compiles and runs against the package
 * exactly as a user's app does). Removed at exit.
 */
export function packedConsumer(kind: ConsumerKind = 'peers'): PackedConsumer {
  const existing = consumers.get(kind);
  if (existing) return existing;
  const dir = mkdtempSync(path.join(tmpdir(), `entra-auth-consumer-${kind}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const tarball = path.basename(packedTarball());
  copyFileSync(packedTarball(), path.join(dir, tarball));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, ...consumerDependencies(kind)],
    dir,
  );
  const consumer = { dir, tarball };
  consumers.set(kind, consumer);
  return consumer;
}

function packedTarball(): string {
  if (packed) return packed;
  const dir = mkdtempSync(path.join(tmpdir(), 'entra-auth-pack-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  run('npm', ['pack', '--silent', '--pack-destination', dir], REPO_ROOT);
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  packed = path.join(dir, tarball);
  return packed;
}

/** The projects under examples/ (folders with a package.json). */
export function exampleProjects(): string[] {
  return readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(path.join(EXAMPLES, entry.name)).includes('package.json'))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The peers, then (for the examples) every dependency the examples declare (their range wins), as
 * `name@range`; never the library itself: the tarball stands in for it.
 */
function consumerDependencies(kind: ConsumerKind): string[] {
  const specs = new Map(
    PEERS.map((spec) => [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)]),
  );
  for (const project of kind === 'examples' ? exampleProjects() : []) {
    const manifest = JSON.parse(readFileSync(path.join(EXAMPLES, project, 'package.json'), 'utf8'));
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (name !== 'entra-auth-middleware') specs.set(name, String(range));
    }
  }
  return [...specs].map(([name, range]) => `${name}@${range}`);
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
