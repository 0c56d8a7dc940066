import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';

const SRC = path.join(__dirname, '..', '..', 'src');

function importsOf(folder: string): Array<{ file: string; specifier: string }> {
  return readdirSync(path.join(SRC, folder))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const text = readFileSync(path.join(SRC, folder, file), 'utf8');
      return [...text.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => ({ file, specifier: match[1]! }));
    });
}

describe('Layers: imports point one way, adapters → core, never the reverse', () => {
  it('reads the imports it judges (the scan itself works)', () => {
    expect(importsOf('core').map(({ specifier }) => specifier)).to.include.members(['tsyringe', './errors']);
    expect(importsOf('routing-controllers').map(({ specifier }) => specifier)).to.include('routing-controllers');
  });

  it('the core never imports Koa, routing-controllers or an adapter', () => {
    const offending = importsOf('core').filter(({ specifier }) =>
      /^(koa|@koa\/|routing-controllers)/.test(specifier) || /^\.\.\/(koa|routing-controllers|container|testing)/.test(specifier),
    );
    expect(offending).to.deep.equal([]);
  });

  it('the Koa adapter never imports routing-controllers', () => {
    expect(importsOf('koa').filter(({ specifier }) => /routing-controllers/.test(specifier))).to.deep.equal([]);
  });

  it('the emulator imports only the core, never an adapter', () => {
    const offending = importsOf('testing').filter(({ specifier }) =>
      /^(koa|@koa\/|routing-controllers)/.test(specifier) || /^\.\.\/(koa|routing-controllers|container)/.test(specifier),
    );
    expect(offending).to.deep.equal([]);
  });
});
