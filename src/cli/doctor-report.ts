import type { DoctorReport } from './doctor';

const LABELS = { ok: 'ok   ', info: 'info ', warning: 'WARN ', error: 'ERROR' } as const;

/** `doctor` for people: one line per finding, its fix under it, a verdict at the end. */
export function renderDoctorReport(report: DoctorReport): string {
  const lines = ['entra-auth doctor'];
  const width = Math.max(...report.findings.map((finding) => finding.check.length));
  for (const finding of report.findings) {
    lines.push(`  ${LABELS[finding.status]}  ${finding.check.padEnd(width)}  ${finding.message}`);
    if (finding.fix && finding.status !== 'ok') lines.push(`  ${' '.repeat(5 + 2 + width)}  fix: ${finding.fix}`);
  }
  const errors = report.findings.filter((finding) => finding.status === 'error').length;
  const warnings = report.findings.filter((finding) => finding.status === 'warning').length;
  lines.push(
    '',
    errors === 0
      ? `Usable${warnings > 0 ? `, with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''} (exit 0).`
      : `${errors} problem${errors > 1 ? 's' : ''} to fix (exit ${report.exitCode}).`,
  );
  return `${lines.join('\n')}\n`;
}
