import { inspect } from 'node:util';
import { isLoopbackHost } from '../settings/authority-url';

/** The path: nothing, or a database number. */
const DATABASE_PATTERN = /^(?:\/\d{0,2})?$/;

/**
 * Where the shared store lives (`REDIS_URL`, with the password in the URL or in `REDIS_PASSWORD`).
 * The password lives in a private field and the object prints as the URL without it, so logging
 * the settings never leaks it. `redis://` is accepted on loopback hosts only, like `http://`
 * (docs/design.md, D35): what the store holds grants group memberships, and a plaintext connection
 * would let anyone on the path write them.
 */
export class RedisConnection {
  readonly #password: string | undefined;

  private constructor(
    /** The URL without its password: what print-outs show and what the client is given. */
    readonly url: string,
    password: string | undefined,
  ) {
    this.#password = password;
  }

  /**
   * Reads a `redis://` or `rediss://` URL, and a password given apart. Throws an Error whose
   * message names what is wrong, never the URL or the password.
   */
  static parse(text: string, separatePassword?: string): RedisConnection {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error('not a URL');
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('the scheme is not redis: or rediss:');
    if (!url.hostname) throw new Error('the URL names no host');
    if (url.protocol === 'redis:' && !isLoopbackHost(url.hostname)) {
      throw new Error('redis:// is plaintext; use rediss:// (TLS) for a host other than loopback');
    }
    if (!DATABASE_PATTERN.test(url.pathname) || url.search || url.hash) {
      throw new Error('the path may only name a database number, and the URL takes no query or fragment');
    }
    let urlPassword: string | undefined;
    try {
      urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
    } catch {
      throw new Error('the password in the URL is not valid percent-encoding');
    }
    if (urlPassword !== undefined && separatePassword !== undefined) {
      throw new Error('a password is given both in the URL and apart; give one');
    }
    url.password = '';
    return new RedisConnection(url.toString(), urlPassword ?? separatePassword);
  }

  get tls(): boolean {
    return this.url.startsWith('rediss:');
  }

  /** Reveals the password to the one place that sends it: the Redis client. */
  revealPassword(): string | undefined {
    return this.#password;
  }

  /** The URL with a note in place of any password: safe for logs and print-outs. */
  toJSON(): string {
    return `${this.url}${this.#password === undefined ? '' : ' (password never shown)'}`;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
