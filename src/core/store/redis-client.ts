import { ConfigurationError } from '../errors';
import { variablesOf } from '../settings/settings-table';

/**
 * The part of a node-redis client the store uses. Declared here rather than imported, so that
 * the library's types never name the `redis` package, an optional peer that may not be installed.
 */
export interface RedisClient {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  duplicate(): RedisClient;
  on(event: 'ready' | 'error' | 'end', listener: (error?: unknown) => void): unknown;
  sendCommand(args: readonly string[]): Promise<unknown>;
  subscribe(channel: string, listener: (message: unknown) => void): Promise<unknown>;
  unref(): void;
  destroy(): void;
}

export interface RedisClientOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly disableOfflineQueue: true;
  readonly commandsQueueMaxLength: number;
  readonly socket: {
    readonly connectTimeout: number;
    readonly reconnectStrategy: (retries: number) => number;
  };
}

export type CreateRedisClient = (options: RedisClientOptions) => RedisClient;

/**
 * node-redis's `createClient`, loaded only when `REDIS_URL` is set: `redis` is an optional peer
 * dependency. Missing, it is a configuration error at startup that names the setting.
 */
export function loadRedisClient(): CreateRedisClient {
  let module: { createClient?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require('redis') as { createClient?: unknown };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    module = {};
  }
  if (typeof module.createClient !== 'function') {
    throw new ConfigurationError([
      `${variablesOf('redis')[0]}: is set, but the Redis client is not installed: npm install redis`,
    ]);
  }
  return module.createClient as CreateRedisClient;
}
