import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import { DIST } from '../../support/repo-paths';

const SUPPORT = path.join(DIST, 'test', 'core', 'telemetry', 'support');

interface Probe {
  readonly apiResolves: boolean;
  readonly accepted: boolean;
  readonly refused: string;
  readonly telemetry: string;
  readonly bytesPerRequest: number;
  readonly collections: number;
}

/**
 * Runs the allocation probe in a fresh process: with `--expose-gc` for a clean start, and, without
 * the API, with a preload that makes `@opentelemetry/api` unresolvable as an uninstalled package is.
 */
function probe(mode: 'no-api' | 'no-provider' | 'sdk'): Probe {
  const preload = mode === 'no-api' ? ['--require', path.join(SUPPORT, 'without-opentelemetry-api.js')] : [];
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', ...preload, path.join(SUPPORT, 'allocation-probe.js'), mode],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
  return JSON.parse(output) as Probe;
}

/**
 * A million requests' hooks allocating even one 16-byte object each would fill V8's young
 * generation many times over: with none, no collection runs and the heap barely moves.
 */
function expectNoAllocation(result: Probe): void {
  expect(result.collections, 'garbage collections while the hooks ran').to.equal(0);
  expect(result.bytesPerRequest, 'heap bytes per request').to.be.below(1);
}

describe('Telemetry without an SDK: the core works and its per-request hooks allocate nothing', function () {
  this.timeout(90_000);

  it('without @opentelemetry/api installed, the library loads, validates real tokens, and its hooks are empty functions that allocate nothing', () => {
    const result = probe('no-api');
    expect(result.apiResolves, 'the preload hides the API').to.equal(false);
    expect([result.accepted, result.refused, result.telemetry]).to.deep.equal([true, 'audience_invalid', 'none']);
    expectNoAllocation(result);
  });

  it('with the API but no MeterProvider set, the per-request hooks return at once and allocate nothing', () => {
    const result = probe('no-provider');
    expect(result.apiResolves).to.equal(true);
    expect([result.accepted, result.refused, result.telemetry]).to.deep.equal([
      true,
      'audience_invalid',
      'OpenTelemetryHooks',
    ]);
    expectNoAllocation(result);
  });

  it('the probe sees allocation where there is some: with the SDK, each histogram record allocates', () => {
    const result = probe('sdk');
    expect(result.accepted).to.equal(true);
    expect(result.collections, 'garbage collections while the hooks ran').to.be.greaterThan(0);
  });
});
