import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DIST } from './repo-paths';

const DEMO_MAIN = path.join(DIST, 'demo', 'main.js');

/** The environment of a fresh shell: nothing of ours, so the demo decides its mode itself. */
export function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !name.startsWith('AUTH_PROVIDER_AZURE_ENTRA_ID_') &&
      !name.startsWith('ENTRA_') &&
      name !== 'AUTH_MIDDLEWARE_DISABLED' &&
      name !== 'DEMO_EMULATOR_URL'
    ) {
      env[name] = value;
    }
  }
  return { ...env, PORT: '0', HOST: '127.0.0.1', ...extra };
}

/** Starts `node dist/demo/main.js` and resolves with everything it printed once it says how to stop it. */
export function startDemo(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}\n${errors}`)), 15000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}\n${errors}`));
    });
  });
}

/** Starts the demo expecting it to refuse: its exit code and what it wrote to stderr (stopped if it serves after all). */
export async function failedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; errors: string }> {
  const child = spawn(process.execPath, [DEMO_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('Press Ctrl+C to stop.')) child.kill('SIGTERM');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, errors };
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
