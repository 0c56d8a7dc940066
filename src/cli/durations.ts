/** A duration as people read it, in its largest unit and the next: `45 s`, `12 min 5 s`, `2 h`, `3 d 4 h`; the sign is dropped. */
export function describeDuration(seconds: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const total = Math.round(Math.abs(seconds));
  const first = units.findIndex(([, size]) => total >= size);
  if (first < 0) return '0 s';
  const [name, size] = units[first]!;
  const count = Math.floor(total / size);
  const next = units[first + 1];
  const rest = next ? Math.floor((total - count * size) / next[1]) : 0;
  return rest > 0 ? `${count} ${name} ${rest} ${next![0]}` : `${count} ${name}`;
}

/** Seconds since the epoch as an ISO date without milliseconds. */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
