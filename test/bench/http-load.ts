import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { get } from '../support/http';
import type { AuthorityConfig } from './bench-tokens';
import type { ServerVariant } from './http-server';

export interface HttpRun {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The server process's CPU time (user + system) per request answered. */
  readonly serverCpuUsPerRequest: number;
}

export interface HttpLoadOptions {
  readonly authority: AuthorityConfig;
  /** PEM file of the emulator's certificate, trusted by the server through NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly token: string;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly connections: number;
}

/**
 * Loads one server variant, in its own process so that it has a core to itself, with autocannon
 * from this process. Checks first that the token is accepted: a benchmark of 401s measures nothing.
 */
export async function loadServer(variant: ServerVariant, options: HttpLoadOptions): Promise<HttpRun> {
  const server = fork(join(__dirname, 'http-server.js'), [variant], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: options.caFile,
      BENCH_AUTHORITY: JSON.stringify(options.authority),
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const url = `http://127.0.0.1:${await portOf(server)}/hello`;
    const headers = { authorization: `Bearer ${options.token}` };
    const probe = await get(url, headers);
    if (probe.status !== 200) throw new Error(`${variant}: the probe request got ${probe.status} ${probe.text}`);
    await run(url, headers, options.connections, options.warmupSeconds);
    const cpuBefore = await cpuOf(server);
    const result = await run(url, headers, options.connections, options.seconds);
    const cpuAfter = await cpuOf(server);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${variant}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
    }
    return {
      requestsPerSecond: result.requests.total / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      serverCpuUsPerRequest:
        (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / result.requests.total,
    };
  } finally {
    server.kill();
  }
}

function run(
  url: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({ url, headers, connections, duration });
}

function cpuOf(server: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const listener = (message: { cpu?: NodeJS.CpuUsage }): void => {
      if (!message.cpu) return;
      server.off('message', listener);
      resolve(message.cpu);
    };
    server.on('message', listener);
    server.send('cpu');
  });
}

function portOf(server: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('message', (message: { port: number }) => resolve(message.port));
    server.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
}
