/** The largest time a JavaScript Date holds, in seconds either side of the epoch (about 273,790 years). */
const DATE_RANGE_SECONDS = 8.64e12;
const OUT_OF_RANGE = 'out of the range of dates';

/**
 * A duration as people read it, in its largest unit and the next: `45 s`, `12 min 5 s`, `2 h`,
 * `3 d 4 h`; the sign is dropped. A token's times are whatever its author wrote: a duration longer
 * than the range of dates is said to be so.
 */
export function describeDuration(seconds: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const total = Math.round(Math.abs(seconds));
  if (!(total <= 2 * DATE_RANGE_SECONDS)) return `a time ${OUT_OF_RANGE}`;
  const first = units.findIndex(([, size]) => total >= size);
  if (first < 0) return '0 s';
  const [name, size] = units[first]!;
  const count = Math.floor(total / size);
  const next = units[first + 1];
  const rest = next ? Math.floor((total - count * size) / next[1]) : 0;
  return rest > 0 ? `${count} ${name} ${rest} ${next![0]}` : `${count} ${name}`;
}

/** Whether a time in seconds since the epoch is a date at all. */
export function isDate(seconds: number): boolean {
  return Math.abs(seconds) <= DATE_RANGE_SECONDS;
}

/** Seconds since the epoch as an ISO date without milliseconds, or that no date is that far. */
export function isoTime(seconds: number): string {
  if (!isDate(seconds)) return OUT_OF_RANGE;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
