import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port';
import { expect } from 'chai';
import { loadSettings, type Settings, type SettingsInput } from '../../src';

/** Whether Debian's `redis-server` is on PATH (`.ci/run` installs it when missing). */
export const REDIS_SERVER_AVAILABLE =
  spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;

/**
 * Inside a `describe`: true when the suite can run. Without `redis-server` it adds one test that
 * fails under CI=true (the suite is required there) and elsewhere says loudly that nothing ran.
 */
export function requireRedisServer(suite: string): boolean {
  if (REDIS_SERVER_AVAILABLE) return true;
  it('finds redis-server on PATH (required under CI=true)', () => {
    expect(process.env['CI'], 'redis-server is not on PATH').to.not.equal('true');
    console.log(`\n    redis-server NOT FOUND on PATH: ${suite} did not run (apt-get install redis-server).\n`);
  });
  return false;
}

/** A throw-away Redis on a free loopback port, without persistence, stopped by its pid. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL, as a crash would: connections drop without a goodbye. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (as a restarted Redis without persistence is). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that holds connections open and answers nothing. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** `args`: more `redis-server` options, e.g. `--requirepass` and `--user` for an ACL. */
export async function startRedisServer(args: readonly string[] = []): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port, args);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      await terminate(child, 'SIGKILL');
    },
    async restart() {
      child = await launch(port, args);
    },
    pause() {
      process.kill(child.pid!, 'SIGSTOP');
    },
    resume() {
      process.kill(child.pid!, 'SIGCONT');
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGCONT');
      await terminate(child, 'SIGTERM');
    },
  };
}

async function launch(port: number, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} on port ${port}`);
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child, 'SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}`);
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(child.pid!, signal);
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      // A Redis that wants a password answers, too: NOAUTH.
      resolve(/^(?:\+PONG|-NOAUTH)/.test(data.toString()));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** STORE_TIMEOUT_MS in tests that are not about timeouts: the most the setting allows. */
export const TEST_STORE_TIMEOUT_MS = 1000;

/** Settings of an app of the emulator's primary tenant that shares this Redis. */
export function redisSettings(redisUrl: string, overrides: SettingsInput = {}): Settings {
  return loadSettings(
    {
      tenantId: '03871dfd-7277-41de-895d-62c1a1a953ea',
      audiences: ['1eda41f4-3759-4ef1-b592-691c21616be8'],
      redisUrl,
      redisKeyPrefix: `test-${Math.random().toString(36).slice(2)}:`,
      // Timeouts are tested on their own (a paused Redis); elsewhere a busy test machine must not turn answers into misses.
      storeTimeoutMs: TEST_STORE_TIMEOUT_MS,
      ...overrides,
    },
    {},
  );
}
