import type { InjectionToken } from 'tsyringe';

/** A scheduled callback that can be cancelled before it runs. */
export interface ScheduledTask {
  cancel(): void;
}

/**
 * The one source of time for everything time-dependent (token lifetimes, key-cache refreshes,
 * cooldowns), so tests move time instead of sleeping. Injected as a tsyringe token.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `task` once, `delayMs` from now. Must never keep the process alive on its own. */
  schedule(task: () => void, delayMs: number): ScheduledTask;
}

export const Clock: InjectionToken<Clock> = Symbol('Clock');

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(task: () => void, delayMs: number): ScheduledTask {
    // Node turns delays past 2^31-1 ms into 1 ms, which would make a refresh loop hot.
    const timer = setTimeout(task, Math.min(Math.max(delayMs, 0), 2 ** 31 - 1));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}
