import type { Clock } from '../clock';
import type { Settings } from '../settings/settings';
import type { Logger } from '../telemetry/logger';
import { ProcessWarningLogger } from '../telemetry/process-warning-logger';
import { loadRedisClient, type RedisClient } from './redis-client';
import {
  MAX_LOG_ENTRY_BYTES,
  MAX_STORE_VALUE_BYTES,
  type LockOutcome,
  type SharedStore,
  type SharedStoreHealth,
  type StoreFailure,
  type StoreSubscriber,
  type StoreSubscription,
} from './shared-store';
import { StoreHealth } from './store-health';

/** Commands waiting for a stalled Redis past this many are refused at once (`busy`): memory stays bounded. */
const MAX_PENDING_COMMANDS = 1000;
/** Reconnection: 50 ms doubling to 1 s, so a restarted Redis is used again within about a second. */
const RECONNECT_FIRST_MS = 50;
const RECONNECT_MAX_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
/**
 * While the store is unavailable, one command a second is sent, as a probe; the others are misses
 * at once. A stalled Redis keeps the connection open, so without this every request would wait
 * `STORE_TIMEOUT_MS` per operation for as long as the stall lasts.
 */
const PROBE_INTERVAL_MS = 1000;
/**
 * Reading a whole log (revocations) happens off the request path, after a (re)connection: it may
 * hold 100,000 entries, more than a request's timeout allows.
 */
const LOG_READ_TIMEOUT_MS = 10_000;

const RELEASE_LOCK_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** What an operation that failed or timed out answers: the caller's miss. */
const MISS = Symbol('miss');

/**
 * The shared store on Redis (docs/design.md#fleet), through node-redis, an optional peer
 * dependency loaded only when `REDIS_URL` is set. One connection for commands and one for
 * subscriptions, both reconnecting on their own and never keeping the process alive.
 *
 * Every command is bounded by `STORE_TIMEOUT_MS` in real time (an I/O deadline, D13); while the
 * connection is down commands fail at once instead of queueing. A failure, a timeout or a reply of
 * the wrong type or size is a miss: this class never throws to its callers.
 */
export class RedisSharedStore implements SharedStore {
  readonly shared = true;
  private readonly client: RedisClient;
  private subscriber: RedisClient | undefined;
  private readonly channels = new Map<string, Set<StoreSubscriber>>();
  private readonly listening = new Set<string>();
  private readonly healthState: StoreHealth;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private nextProbeAt = 0;
  private warnedNoPermission = false;
  private closed = false;

  constructor(
    settings: Settings,
    private readonly clock: Clock,
    private readonly logger: Logger = new ProcessWarningLogger(),
  ) {
    const connection = settings.redis;
    if (!connection) throw new TypeError('RedisSharedStore needs REDIS_URL');
    this.prefix = settings.redisKeyPrefix;
    this.timeoutMs = settings.storeTimeoutMs;
    this.healthState = new StoreHealth(clock, logger);
    const createClient = loadRedisClient();
    const { username, password } = connection.revealCredentials();
    this.client = createClient({
      url: connection.url,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      disableOfflineQueue: true,
      commandsQueueMaxLength: MAX_PENDING_COMMANDS,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries) => Math.min(RECONNECT_FIRST_MS * 2 ** retries, RECONNECT_MAX_MS),
      },
    });
    // A connection closed on purpose is no outage to report.
    const lost = (error?: unknown): void => {
      if (!this.closed) this.healthState.disconnected(isAuthenticationFailure(error) ? 'auth_failed' : 'offline');
    };
    this.client.on('error', lost);
    this.client.on('end', () => lost());
    this.client.on('ready', () => this.healthState.connected());
    this.connect(this.client);
  }

  async get(key: string): Promise<string | undefined> {
    // GETRANGE reads at most one byte past the cap, so an oversized value is never transferred
    // whole; a missing key reads as "", which no caller ever stores.
    const reply = await this.command(['GETRANGE', this.prefix + key, '0', String(MAX_STORE_VALUE_BYTES)]);
    if (typeof reply !== 'string' || reply === '' || Buffer.byteLength(reply) > MAX_STORE_VALUE_BYTES) return undefined;
    return reply;
  }

  async set(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (Buffer.byteLength(value) > MAX_STORE_VALUE_BYTES || !(ttlMs >= 1)) return false;
    return (await this.command(['SET', this.prefix + key, value, 'PX', String(Math.ceil(ttlMs))])) === 'OK';
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<LockOutcome> {
    const reply = await this.command(['SET', this.prefix + key, owner, 'NX', 'PX', String(Math.ceil(ttlMs))]);
    return reply === 'OK' ? 'acquired' : reply === null ? 'held' : 'unavailable';
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    await this.command(['EVAL', RELEASE_LOCK_SCRIPT, '1', this.prefix + key, owner]);
  }

  async appendToLog(key: string, entry: string, expiresAt: number): Promise<boolean> {
    if (Buffer.byteLength(entry) > MAX_LOG_ENTRY_BYTES) return false;
    const log = this.prefix + key;
    // GT keeps the later expiry of an entry added twice; expired entries are dropped on the way.
    const [added] = await Promise.all([
      this.command(['ZADD', log, 'GT', String(Math.ceil(expiresAt)), entry]),
      this.command(['ZREMRANGEBYSCORE', log, '-inf', String(this.clock.now())]),
    ]);
    return typeof added === 'number';
  }

  async readLog(key: string): Promise<string[] | undefined> {
    const reply = await this.command(
      ['ZRANGEBYSCORE', this.prefix + key, `(${this.clock.now()}`, '+inf'],
      LOG_READ_TIMEOUT_MS,
    );
    if (!Array.isArray(reply)) return undefined;
    return reply.filter(
      (entry): entry is string => typeof entry === 'string' && Buffer.byteLength(entry) <= MAX_LOG_ENTRY_BYTES,
    );
  }

  async publish(channel: string, message: string): Promise<boolean> {
    return typeof (await this.command(['PUBLISH', this.prefix + channel, message])) === 'number';
  }

  subscribe(channel: string, subscriber: StoreSubscriber): StoreSubscription {
    const subscribers = this.channels.get(channel) ?? new Set<StoreSubscriber>();
    this.channels.set(channel, subscribers);
    subscribers.add(subscriber);
    if (this.subscriber) {
      // Connected already: no 'ready' will come to tell this subscriber to read the state.
      const ready = this.subscriber.isReady;
      void this.listen().then(() => {
        if (ready) subscriber.resync();
      });
    } else {
      this.subscriber = this.client.duplicate();
      this.subscriber.on('error', () => undefined);
      // Messages sent while the subscription was down are lost: each (re)connection is followed
      // by a fresh read of the state, after the subscriptions are back.
      this.subscriber.on('ready', () => void this.listen().then(() => this.resyncAll()));
      this.connect(this.subscriber);
    }
    return { close: () => subscribers.delete(subscriber) };
  }

  health(): SharedStoreHealth {
    return this.healthState.report();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    this.client.destroy();
    this.subscriber?.destroy();
  }

  private connect(client: RedisClient): void {
    // Connecting retries by itself until Redis answers; until then commands are misses.
    client.connect().catch(() => undefined);
    client.unref();
  }

  /** Subscribes, on the subscription connection, to channels not yet listened to. */
  private async listen(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber) return;
    for (const channel of this.channels.keys()) {
      if (this.listening.has(channel)) continue;
      try {
        await subscriber.subscribe(this.prefix + channel, (message) => this.deliver(channel, message));
        this.listening.add(channel);
      } catch (error) {
        // Not connected yet: the next 'ready' subscribes. Refused: only the operator can help.
        this.warnIfNoPermission(error);
      }
    }
  }

  private deliver(channel: string, message: unknown): void {
    if (typeof message !== 'string' || Buffer.byteLength(message) > MAX_LOG_ENTRY_BYTES) return;
    for (const subscriber of this.channels.get(channel) ?? []) subscriber.message(message);
  }

  private resyncAll(): void {
    for (const subscribers of this.channels.values()) for (const subscriber of subscribers) subscriber.resync();
  }

  /** One command within the deadline; a failure, a refusal or a timeout is {@link MISS}. */
  private async command(args: readonly string[], timeoutMs: number = this.timeoutMs): Promise<unknown> {
    if (this.closed || !this.mayTry()) return MISS;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<typeof MISS>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve(MISS);
      }, timeoutMs);
      timer.unref();
    });
    const reply = this.client.sendCommand(args).then(
      (value) => {
        this.healthState.succeeded();
        return value;
      },
      (error: unknown) => {
        this.healthState.failed(failureOf(error));
        this.warnIfNoPermission(error);
        return MISS;
      },
    );
    const outcome = await Promise.race([reply, deadline]);
    clearTimeout(timer);
    if (timedOut) this.healthState.failed('timeout');
    return outcome;
  }

  /**
   * An ACL user without the commands or channels the store uses (Redis 7 gives a new user no
   * channels) fails every revocation for good, while Redis answers: said once, with the fix.
   */
  private warnIfNoPermission(error: unknown): void {
    if (this.warnedNoPermission || !(error instanceof Error) || !/^NOPERM\b/.test(error.message)) return;
    this.warnedNoPermission = true;
    this.logger.warn(
      `Redis refused a command or channel for lack of permission (NOPERM): the ACL user of REDIS_URL needs the keys ` +
        `and channels ${this.prefix}* (~${this.prefix}* &${this.prefix}*) and the commands GETRANGE, SET, EVAL (with GET ` +
        'and DEL), ZADD, ZREMRANGEBYSCORE, ZRANGEBYSCORE, PUBLISH and SUBSCRIBE; until then nothing is shared',
      { code: 'ENTRA_AUTH_STORE_NO_PERMISSION' },
    );
  }

  /** Whether a command may be sent now: always while the store is available, else as the probe of its second. */
  private mayTry(): boolean {
    if (this.healthState.available) return true;
    const now = Date.now();
    if (now < this.nextProbeAt) return false;
    this.nextProbeAt = now + PROBE_INTERVAL_MS;
    return true;
  }
}

/** Redis refused the credentials (a wrong password, an unknown or disabled ACL user). */
function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof Error && /^(?:WRONGPASS|NOAUTH)\b/.test(error.message);
}

function failureOf(error: unknown): StoreFailure {
  if (!(error instanceof Error)) return 'command_failed';
  const kind = error.constructor.name;
  if (kind === 'ClientOfflineError' || kind === 'ClientClosedError') return 'offline';
  // Redis answered, with an error: a key of the wrong type, foreign data.
  if (kind === 'ErrorReply' || kind === 'SimpleError' || kind === 'BlobError') return 'refused';
  if (error.message === 'The queue is full') return 'busy';
  return 'command_failed';
}
