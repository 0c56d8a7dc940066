import { inspect } from 'node:util';
import { isLoopbackHost } from '../settings/authority-url';

/** The path: nothing, or a database number. */
const DATABASE_PATTERN = /^(?:\/\d{0,2})?$/;

/**
 * Where the shared store lives (`REDIS_URL`, with the password in the URL or in `REDIS_PASSWORD`,
 * and an ACL user name in the URL). User name and password live in private fields and the object
 * prints as the URL without either, so logging the settings never leaks them (a password written
 * where the user name goes, `rediss://s3cret@host`, included). `redis://` is accepted on loopback hosts only, like `http://`
 * (docs/design.md, D35): what the store holds grants group memberships, and a plaintext connection
 * would let anyone on the path write them.
 */
export class RedisConnection {
  readonly #username: string | undefined;
  readonly #password: string | undefined;

  private constructor(
    /**
     * The URL without user name and password: what print-outs show and what the client is given.
     * node-redis reads credentials from a URL over its separate options, so none may be left in it.
     */
    readonly url: string,
    username: string | undefined,
    password: string | undefined,
  ) {
    this.#username = username;
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
    let username: string | undefined;
    let urlPassword: string | undefined;
    try {
      username = url.username ? decodeURIComponent(url.username) : undefined;
      urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
    } catch {
      throw new Error('the user name or password in the URL is not valid percent-encoding');
    }
    if (urlPassword !== undefined && separatePassword !== undefined) {
      throw new Error('a password is given both in the URL and apart; give one');
    }
    url.username = '';
    url.password = '';
    return new RedisConnection(url.toString(), username, urlPassword ?? separatePassword);
  }

  get tls(): boolean {
    return this.url.startsWith('rediss:');
  }

  /** Reveals the credentials to the one place that sends them: the Redis client. */
  revealCredentials(): { readonly username: string | undefined; readonly password: string | undefined } {
    return { username: this.#username, password: this.#password };
  }

  /** The URL with a note in place of any credentials: safe for logs and print-outs. */
  toJSON(): string {
    const hidden = [
      this.#username === undefined ? [] : ['user name'],
      this.#password === undefined ? [] : ['password'],
    ];
    const note = hidden.flat().join(' and ');
    return note ? `${this.url} (${note} never shown)` : this.url;
  }

  toString(): string {
    return this.toJSON();
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
