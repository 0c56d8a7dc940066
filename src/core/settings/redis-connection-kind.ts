import { RedisConnection } from '../store/redis-connection';
import type { CompoundKind } from './setting-kind';

export interface RedisConnectionInputs {
  /** `redis://` (loopback only) or `rediss://`, optionally with user, password and database. */
  redisUrl?: string;
  /** The password, when it is not in the URL. */
  redisPassword?: string;
}

/**
 * The shared store's Redis. Its variables, in order: the URL, the password. Problems name the
 * variable, never the value: the URL may hold the password.
 */
export function redisConnection(): CompoundKind<RedisConnection, RedisConnectionInputs> {
  return {
    accepted:
      '`rediss://[user[:password]@]host[:port][/db]`; `redis://` on loopback hosts only; the password in the URL or apart',
    // Checked while read: parsing is the check, and its messages must never quote the value.
    decorators: () => [],
    show: (connection) => connection.toJSON(),
    inputs: ['redisUrl', 'redisPassword'],
    read(input, { variables, env, report }) {
      const [urlVariable, passwordVariable] = variables as [string, string];
      const url = input.redisUrl ?? env(urlVariable);
      const password = input.redisPassword ?? env(passwordVariable);
      if (url === undefined) {
        if (password !== undefined) report(`${passwordVariable}: set without ${urlVariable}; set both or neither`);
        return undefined;
      }
      if (typeof url !== 'string' || (password !== undefined && typeof password !== 'string')) {
        report(`${urlVariable}: expected strings in code`);
        return undefined;
      }
      try {
        return RedisConnection.parse(url.trim(), password);
      } catch (error) {
        report(
          `${urlVariable}: ${(error as Error).message}; expected rediss://[user[:password]@]host[:port][/db] ` +
            '(redis:// on loopback hosts only)',
        );
        return undefined;
      }
    },
  };
}
