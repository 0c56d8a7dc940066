// `node memory-worker.js <tokens file> <TOKEN_CACHE_MAX_ENTRIES>`: verifies every token of the
// file once, each as a new string (as from a request), then reports the process's peak RSS.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { AuthorityConfig } from './bench-tokens';
import { benchProvider } from './bench-provider';

export interface MemoryReport {
  readonly verified: number;
  readonly peakRssBytes: number;
}

async function main(): Promise<void> {
  const [tokensFile, maxEntries] = process.argv.slice(2) as [string, string];
  const authority = JSON.parse(process.env.BENCH_AUTHORITY ?? '') as AuthorityConfig;
  const { provider, cache } = benchProvider(authority, Number(maxEntries));

  // One buffer, sliced per token: the tokens themselves must not be held as strings by this script.
  const tokens = readFileSync(tokensFile);
  let verified = 0;
  for (let start = 0; start < tokens.length;) {
    const end = tokens.indexOf(0x0a, start);
    const stop = end < 0 ? tokens.length : end;
    await provider.verifyToken(tokens.toString('latin1', start, stop));
    verified++;
    start = stop + 1;
  }
  cache.close();
  const report: MemoryReport = { verified, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.send?.(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
