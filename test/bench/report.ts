/** One row of the benchmark table. */
export interface Row {
  readonly path: string;
  readonly rate: string;
  readonly p50: string;
  readonly p99: string;
  readonly ratio: string;
  readonly addedUs?: string;
}

export function formatTable(title: string, rows: readonly Row[], withAdded: boolean): string {
  const header = [
    'path',
    title.includes('HTTP') ? 'req/s' : 'ops/s',
    'p50',
    'p99',
    '× baseline',
    ...(withAdded ? ['µs auth adds'] : []),
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) {
    const cells = [row.path, row.rate, row.p50, row.p99, row.ratio, ...(withAdded ? [row.addedUs ?? '—'] : [])];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return [`### ${title}`, '', ...lines].join('\n');
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export function formatGoals(goals: readonly Goal[]): string {
  const lines = ['| goal | measured | met |', '|---|---|---|'];
  for (const goal of goals) lines.push(`| ${goal.goal} | ${goal.measured} | ${goal.met ? 'yes' : '**no**'} |`);
  return ['### Goals', '', ...lines].join('\n');
}

export const fixed = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const times = (value: number): string => `${value.toFixed(2)}×`;
