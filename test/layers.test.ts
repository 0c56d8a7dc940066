import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from './support/repo-paths';

const SRC = path.join(REPO_ROOT, 'src');

interface Import {
  /** The importing file, relative to src/. */
  readonly file: string;
  readonly specifier: string;
  /** For a relative specifier: the imported module, relative to src/ without extension. */
  readonly target?: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every import of every file under src/, folders walked recursively, relative ones resolved. */
const IMPORTS: readonly Import[] = sourceFiles(SRC).flatMap((full) => {
  const file = path.relative(SRC, full);
  const text = readFileSync(full, 'utf8');
  return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => {
    const specifier = match[1]!;
    if (!specifier.startsWith('.')) return { file, specifier };
    const resolved = path.relative(SRC, path.join(path.dirname(full), specifier));
    const isFolder = statSync(path.join(SRC, resolved), { throwIfNoEntry: false })?.isDirectory() ?? false;
    return { file, specifier, target: isFolder ? path.join(resolved, 'index') : resolved };
  });
});

/** The top-level area of src/ a module belongs to: core, koa, routing-controllers, container, testing. */
const areaOf = (module: string): string => module.split(path.sep)[0]!.replace(/\.ts$/, '');
const importsOf = (area: string) => IMPORTS.filter(({ file }) => areaOf(file) === area);
const FRAMEWORK = /^(koa|@koa\/|routing-controllers)/;

describe('Layers: imports point one way, adapters → core, never the reverse', () => {
  it('reads the imports it judges, in nested folders too (the scan itself works)', () => {
    const core = importsOf('core');
    expect(core.map(({ specifier }) => specifier)).to.include('tsyringe');
    expect(core.filter(({ file }) => file.split(path.sep).length > 2)).to.not.be.empty;
    expect(core.some(({ target }) => target === path.join('core', 'errors'))).to.equal(true);
    expect(importsOf('routing-controllers').map(({ specifier }) => specifier)).to.include('routing-controllers');
  });

  it('the core never imports Koa, routing-controllers, the container, an adapter or the emulator', () => {
    const offending = importsOf('core').filter(
      ({ specifier, target }) => FRAMEWORK.test(specifier) || (target !== undefined && areaOf(target) !== 'core'),
    );
    expect(offending).to.deep.equal([]);
  });

  it('the container wires the core only', () => {
    const offending = importsOf('container').filter(
      ({ specifier, target }) =>
        FRAMEWORK.test(specifier) || (target !== undefined && !['core', 'container'].includes(areaOf(target))),
    );
    expect(offending).to.deep.equal([]);
  });

  it('the Koa adapter never imports routing-controllers', () => {
    const offending = importsOf('koa').filter(
      ({ specifier, target }) =>
        /routing-controllers/.test(specifier) || (target !== undefined && areaOf(target) === 'routing-controllers'),
    );
    expect(offending).to.deep.equal([]);
  });

  it('the emulator imports only the core, never an adapter', () => {
    const offending = importsOf('testing').filter(
      ({ specifier, target }) =>
        FRAMEWORK.test(specifier) || (target !== undefined && !['core', 'testing'].includes(areaOf(target))),
    );
    expect(offending).to.deep.equal([]);
  });

  it('nothing imports the CLI, and the CLI loads routing-controllers only for --app (optional peers stay optional)', () => {
    expect(
      IMPORTS.filter(({ file, target }) => areaOf(file) !== 'cli' && target !== undefined && areaOf(target) === 'cli'),
    ).to.deep.equal([]);
    const routeModules = ['app-routes', 'route-check', 'koa-router'].map((name) => path.join('cli', name));
    const reachesRoutingControllers = importsOf('cli').filter(
      ({ specifier, target }) =>
        FRAMEWORK.test(specifier) || (target !== undefined && areaOf(target) === 'routing-controllers'),
    );
    expect(reachesRoutingControllers.map(({ file }) => file.replace(/\.ts$/, ''))).to.satisfy((files: string[]) =>
      files.every((file) => routeModules.includes(file)),
    );
    expect(reachesRoutingControllers).to.not.be.empty;
    // Everyone else reaches those two by `import()` or for types only.
    for (const { file, target } of importsOf('cli')) {
      if (target === undefined || !routeModules.includes(target) || routeModules.includes(file.replace(/\.ts$/, '')))
        continue;
      const text = readFileSync(path.join(SRC, file), 'utf8');
      const name = path.basename(target);
      expect(text, `${file} imports ${name} eagerly`).to.not.match(
        new RegExp(`^import (?!type )[^;]*'\\./${name}'`, 'm'),
      );
    }
  });

  it('the OpenAPI module reads the core and the routing-controllers adapter only, and no adapter imports it', () => {
    const offending = importsOf('openapi').filter(
      ({ target }) => target !== undefined && !['core', 'routing-controllers', 'openapi'].includes(areaOf(target)),
    );
    expect(offending).to.deep.equal([]);
    const importers = IMPORTS.filter(
      ({ file, target }) => areaOf(file) !== 'openapi' && target !== undefined && areaOf(target) === 'openapi',
    );
    expect(importers).to.deep.equal([]);
    expect(
      importsOf('openapi').some(({ target }) => target !== undefined && areaOf(target) === 'routing-controllers'),
    ).to.equal(true);
  });

  it('no module imports itself through others (no import cycles, type-only imports included)', () => {
    const edges = new Map<string, string[]>();
    for (const { file, target } of IMPORTS) {
      if (target === undefined) continue;
      const from = file.replace(/\.ts$/, '');
      edges.set(from, [...(edges.get(from) ?? []), target]);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, trail: string[]): void => {
      if (state.get(module) === 'done') return;
      if (state.get(module) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(module)), module].join(' → '));
        return;
      }
      state.set(module, 'open');
      for (const next of edges.get(module) ?? []) visit(next, [...trail, module]);
      state.set(module, 'done');
    };
    for (const module of edges.keys()) visit(module, []);
    expect(cycles).to.deep.equal([]);
  });
});
