import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import type { EntraEmulator } from '../../../src/testing';
import { DIST } from '../../support/repo-paths';

/** The built CLI, as `npm run build` leaves it and the package's `bin` names it. */
export const CLI = path.join(DIST, 'src', 'cli', 'main.js');
/** The compiled test apps `--app` loads. */
export const SAMPLE_API = path.join(DIST, 'test', 'cli', 'support', 'sample-api.js');
export const MISMATCHED_API = path.join(DIST, 'test', 'cli', 'support', 'mismatched-api.js');
export const API_WITH_CONTAINER = path.join(DIST, 'test', 'cli', 'support', 'api-with-container.js');
export const ROUTE_PATTERNS_API = path.join(DIST, 'test', 'cli', 'support', 'route-patterns-api.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together: what "never printed" is checked against. */
  readonly output: string;
}

/**
 * Runs `node dist/src/cli/main.js …` as a separate process with only the given environment (and
 * PATH), feeding `stdin`. Asynchronous, so an emulator in this process keeps answering it.
 */
export function runCli(args: readonly string[], env: Record<string, string>, stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const deadline = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr, output: `${stdout}${stderr}` });
    });
    child.stdin.end(stdin);
  });
}

/** The library's variables for an API on the emulator: its tenant, audience and authority. */
export function emulatorEnv(emulator: EntraEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ENTRA_TENANT_ID: emulator.tenants.primary.id,
    ENTRA_CLIENT_ID: emulator.apiClientId,
    AUTH_PROVIDER_AZURE_ENTRA_ID_JWKS_URL_TEMPLATE: emulator.jwksUrlTemplate,
    AUTH_PROVIDER_AZURE_ENTRA_ID_GROUP_ALIASES: `Administrators=${emulator.groups.administrators}`,
    ...extra,
  };
}

/** With Graph credentials: the emulator's Graph and the API's client secret. */
export function graphEnv(emulator: EntraEmulator): Record<string, string> {
  return {
    AUTH_PROVIDER_AZURE_ENTRA_ID_CLIENT_SECRET: emulator.clientSecret,
    AUTH_PROVIDER_AZURE_ENTRA_ID_GRAPH_URL: emulator.graphUrl,
  };
}

/**
 * What no output may ever hold: the token (whole, or any of its segments: the signature, and the
 * encoded header and payload) and, without --show-personal, the names, emails and UPNs of every
 * emulator user.
 */
export function expectNothingSecret(run: CliRun, token: string, emulator: EntraEmulator): void {
  const segments = token.split('.').filter((segment) => segment.length >= 8);
  for (const secret of [token, ...segments]) {
    expect(run.output.includes(secret), 'the output holds the token or one of its segments').to.equal(false);
  }
  for (const user of Object.values(emulator.users)) {
    for (const personal of [user.name, user.email, user.upn, user.preferredUsername]) {
      expect(run.output, 'the output holds a personal value').to.not.include(personal);
    }
  }
}
