import type { Clock, ScheduledTask } from '../core/clock';

interface PendingTask {
  readonly at: number;
  readonly sequence: number;
  readonly run: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to, for tests: `advance()` runs every task that falls due,
 * in order, including tasks scheduled by those tasks within the same window.
 */
export class ManualClock implements Clock {
  private current: number;
  private sequence = 0;
  private pending: PendingTask[] = [];

  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(task: () => void, delayMs: number): ScheduledTask {
    const entry: PendingTask = {
      at: this.current + Math.max(0, delayMs),
      sequence: this.sequence++,
      run: task,
      cancelled: false,
    };
    this.pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, running due tasks at their own time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((task) => !task.cancelled);
      const next = this.pending
        .filter((task) => task.at <= target)
        .sort((a, b) => a.at - b.at || a.sequence - b.sequence)[0];
      if (!next) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.run();
    }
    this.current = target;
  }

  /** Moves time forward by `seconds`. */
  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  /** Tasks scheduled and not yet run or cancelled. */
  get pendingTaskCount(): number {
    return this.pending.filter((task) => !task.cancelled).length;
  }
}
