/** Prints a figures table to the test output, first column left-aligned, the others right-aligned. */
export function printTable(
  title: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): void {
  const cells = [columns, ...rows].map((row) => row.map(String));
  const widths = columns.map((_, index) => Math.max(...cells.map((row) => row[index]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
  console.log(`\n    ${title}\n${cells.map((row) => `      ${line(row)}`).join('\n')}\n`);
}
