import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import { SystemClock } from '../../src';
import { DIST } from '../support/repo-paths';

const CLOCK_MODULE = path.join(DIST, 'src', 'core', 'clock');

describe('Clock: timers never keep the process alive, and can be cancelled', () => {
  it('a process with an hour-long task scheduled on the system clock exits at once', () => {
    const started = Date.now();
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const { SystemClock } = require(${JSON.stringify(CLOCK_MODULE)}); new SystemClock().schedule(() => process.exit(3), 3600000);`,
      ],
      { encoding: 'utf8', timeout: 20000 },
    );
    expect(child.status, child.stderr).to.equal(0);
    expect(Date.now() - started).to.be.below(15000);
  });

  it('a cancelled task does not run', async () => {
    let ran = false;
    new SystemClock().schedule(() => (ran = true), 1).cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).to.equal(false);
  });
});
