import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { AuthorityConfig } from './bench-tokens';
import type { MemoryReport } from './memory-worker';

/** Peak RSS of a fresh process verifying every token of `tokensFile` with the cache at `maxEntries`. */
export function peakRss(
  authority: AuthorityConfig,
  caFile: string,
  tokensFile: string,
  maxEntries: number,
  expected: number,
): Promise<number> {
  const worker = fork(join(__dirname, 'memory-worker.js'), [tokensFile, String(maxEntries)], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, BENCH_AUTHORITY: JSON.stringify(authority) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (report: MemoryReport) => {
      worker.kill();
      if (report.verified !== expected) reject(new Error(`verified ${report.verified} of ${expected} tokens`));
      else resolve(report.peakRssBytes);
    });
    worker.once('exit', (code) => reject(new Error(`the memory worker exited with ${code}`)));
  });
}
