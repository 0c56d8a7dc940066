// One instance of a fleet in its own process: `node fleet-instance.js`, configured by FLEET_INSTANCE
// (JSON, a FleetInstanceConfig). A Koa + routing-controllers app validating the tokens of an
// emulator, resolving overage through its Graph, sharing Redis when given one. It answers the
// parent with `{ port }` over IPC once listening, and exits when the parent goes.
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import Koa from 'koa';
import { Authorized, Get, JsonController } from 'routing-controllers';
import { Lifecycle, container, inject, injectable } from 'tsyringe';
import { GraphGroupsProvider, GroupsProvider, RevocationList, SharedStore, registerEntraAuth } from '../../src';
import { useEntraAuth } from '../../src/routing-controllers';
import { cpuUsageOf } from './child-cpu';
import { EMULATOR_CLIENT_SECRET, administratorsGroupId, apiClientId, primaryTenant } from '../../src/testing';

export interface FleetInstanceConfig {
  /** The emulator's base URL (its tenant, API and Graph). */
  readonly emulatorUrl: string;
  readonly redisUrl?: string;
  readonly redisKeyPrefix?: string;
  /** For loads that make the emulator (in the parent) and Redis slow to answer. */
  readonly httpTimeoutMs?: number;
  readonly storeTimeoutMs?: number;
}

@JsonController()
class FleetController {
  @Authorized()
  @Get('/hello')
  hello() {
    return { ok: true };
  }

  @Authorized(['Administrators'])
  @Get('/admin/users')
  users() {
    return { ok: true };
  }
}

@injectable()
@JsonController()
class FleetHealthController {
  constructor(
    @inject(SharedStore) private readonly store: SharedStore,
    @inject(RevocationList) private readonly revocations: RevocationList,
  ) {}

  @Get('/health')
  health() {
    return { store: this.store.health(), revocations: this.revocations.health() };
  }
}

/** Starts an instance in a child process; `env` adds to the parent's (NODE_EXTRA_CA_CERTS for an HTTPS emulator). */
export async function startFleetInstance(
  config: FleetInstanceConfig,
  env: NodeJS.ProcessEnv = {},
): Promise<{ readonly url: string; cpuUsage(): Promise<NodeJS.CpuUsage>; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'fleet-instance.js'), [], {
    env: { ...process.env, ...env, FLEET_INSTANCE: JSON.stringify(config), NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the fleet instance exited with ${code} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    cpuUsage: () => cpuUsageOf(child),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env['FLEET_INSTANCE'] ?? '') as FleetInstanceConfig;
  const scoped = container.createChildContainer();
  registerEntraAuth(scoped, {
    settings: {
      tenantId: primaryTenant.id,
      audiences: [apiClientId],
      jwksUrlTemplate: `${config.emulatorUrl}/{}/v2.0/.well-known/openid-configuration`,
      groupAliases: { Administrators: administratorsGroupId },
      clientSecret: EMULATOR_CLIENT_SECRET,
      graphUrl: config.emulatorUrl,
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      ...(config.redisKeyPrefix ? { redisKeyPrefix: config.redisKeyPrefix } : {}),
      ...(config.httpTimeoutMs ? { httpTimeoutMs: config.httpTimeoutMs } : {}),
      ...(config.storeTimeoutMs ? { storeTimeoutMs: config.storeTimeoutMs } : {}),
    },
    env: {},
  });
  scoped.register(GroupsProvider, { useClass: GraphGroupsProvider }, { lifecycle: Lifecycle.ContainerScoped });
  const app = useEntraAuth(new Koa(), scoped, { controllers: [FleetController, FleetHealthController] });
  app.silent = true;
  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
