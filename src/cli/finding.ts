import { EXIT_CODES, type ExitCode } from './exit-codes';

export type FindingStatus = 'ok' | 'info' | 'warning' | 'error';

/** One thing `doctor` checked: what it found and, when something is wrong, the fix. */
export interface Finding {
  /** What was checked: `tenant`, `discovery v2.0`, `clock`, `graph`, `registration`, … */
  readonly check: string;
  readonly status: FindingStatus;
  readonly message: string;
  readonly fix?: string;
  /** For errors: 2 configuration, 3 the authority cannot be reached, 1 anything else. */
  readonly exitCode?: ExitCode;
}

export function ok(check: string, message: string): Finding {
  return { check, status: 'ok', message };
}

export function info(check: string, message: string, fix?: string): Finding {
  return { check, status: 'info', message, ...(fix ? { fix } : {}) };
}

export function warning(check: string, message: string, fix: string): Finding {
  return { check, status: 'warning', message, fix };
}

export function error(check: string, message: string, fix: string, exitCode: ExitCode = EXIT_CODES.refused): Finding {
  return { check, status: 'error', message, fix, exitCode };
}

/** 0 when nothing is wrong; else a configuration error wins, then an unreachable authority, then 1. */
export function exitCodeOf(findings: readonly Finding[]): ExitCode {
  const codes = findings.filter((finding) => finding.status === 'error').map((finding) => finding.exitCode);
  if (codes.length === 0) return EXIT_CODES.ok;
  for (const code of [EXIT_CODES.configuration, EXIT_CODES.keysUnavailable] as const) {
    if (codes.includes(code)) return code;
  }
  return EXIT_CODES.refused;
}
