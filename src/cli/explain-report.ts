import { ACCEPTANCE_RULES } from '../core/token/acceptance-rules';
import { describeDuration, isDate, isoTime } from './durations';
import type { ExplainReport } from './explain';
import { printable, quoted } from './printable';
import type { RouteVerdict } from './route-check';
import { HIDDEN } from './token-view';
import type { UserView } from './user-view';

/** The claim shapes come after the last numbered rule. */
const LAST_NUMBERED_RULE = Math.max(...ACCEPTANCE_RULES.map((rule) => rule.number ?? 0));

const TIMES = new Set(['iat', 'nbf', 'exp']);
/** Longer lists (groups) are cut in the plain report. */
const LIST_LIMIT = 10;

/** `explain` for people: the token, the rules, the fix, the user, the route. */
export function renderExplainReport(report: ExplainReport, nowSeconds: number): string {
  const lines: string[] = [];
  const verdict = report.refusal
    ? `REFUSED: ${report.refusal.reason} (${report.refusal.status})`
    : report.route?.verdict === 'refused'
      ? `VALID, but ${report.route.route} refuses it`
      : 'VALID';
  lines.push(`entra-auth explain: ${verdict}`);
  const { settings } = report;
  lines.push(
    `Judged against tenant ${settings.tenantId}, audiences ${settings.audiences.join(', ')} (authority ${settings.authority}, clock skew ${settings.leewaySeconds} s; settings from the ${settings.source}).`,
  );

  if (report.token) {
    lines.push('', 'Token (as written; not verified until the rules pass):');
    const hidden: string[] = [];
    for (const [part, members] of [
      ['header', report.token.header],
      ['claims', report.token.claims],
    ] as const) {
      for (const [name, value] of Object.entries(members)) {
        // Names are the token author's too: escaped like the values.
        if (value === HIDDEN) {
          hidden.push(printable(name));
          continue;
        }
        const when = TIMES.has(name) && typeof value === 'number' ? ` (${timeNote(value, nowSeconds)})` : '';
        lines.push(
          `  ${part === 'header' ? 'header.' : ''}${printable(name).padEnd(part === 'header' ? 5 : 12)} ${quoted(value)}${when}`,
        );
      }
    }
    if (hidden.length > 0) lines.push(`  values not shown: ${hidden.join(', ')} (--show-personal shows them)`);
  }

  lines.push('', 'Rules, in order (docs/design.md#acceptance-rules):');
  for (const outcome of report.rules) {
    const label = outcome.number === undefined ? `after ${LAST_NUMBERED_RULE}` : `rule ${outcome.number}`;
    const result = outcome.outcome === 'passed' ? 'pass' : 'FAIL';
    lines.push(`  ${result}  ${label.padEnd(7)}  ${outcome.title}${outcome.reason ? `: ${outcome.reason}` : ''}`);
  }
  if (report.refusal) lines.push(`  (${report.refusal.description} The rules after it were not checked.)`);

  if (report.explanation) {
    lines.push('', `Why: ${report.explanation.summary}`);
    for (const detail of report.explanation.details) lines.push(`  ${detail}`);
    lines.push('Fix:');
    for (const fix of report.explanation.fixes) lines.push(`  - ${fix}`);
  }

  lines.push('', 'User:');
  lines.push(...(report.user ? userLines(report.user) : ['  none: a refused token builds no user.']));
  if (report.route) lines.push('', ...routeLines(report.route));
  return `${lines.join('\n')}\n`;
}

function userLines(user: UserView): string[] {
  // Every value here comes from the token (or a provider reading it): each one escaped.
  const list = (values: readonly string[]) =>
    values.length === 0
      ? '(none)'
      : values.length > LIST_LIMIT
        ? `${values.slice(0, LIST_LIMIT).map(printable).join(', ')}, … (${values.length} in all; --json lists each)`
        : values.map(printable).join(', ');
  const groups = user.groups.values
    ? list(
        user.groups.values.map((group) =>
          group.aliases.length > 0 ? `${group.id} (${group.aliases.join(', ')})` : group.id,
        ),
      )
    : `the groups provider answers ${user.groups.unavailable}${user.groups.unavailable === 'groups_overage' ? ' (GraphGroupsProvider would look them up)' : ''}`;
  const lines = [
    `  id           ${printable(user.id)}`,
    `  tenant       ${printable(user.tenantId)}`,
    `  kind         ${user.kind}${user.clientId ? `, client ${printable(user.clientId)}` : ''}`,
    `  scopes       ${list(user.scopes)}`,
    `  roles        ${list(user.roles)}`,
    `  groups       ${user.groups.overage ? 'overage, the token lists none; ' : ''}${groups}`,
    `  permissions  ${Array.isArray(user.permissions) ? list(user.permissions as readonly string[]) : `not known: ${(user.permissions as { unavailable: string }).unavailable}`}`,
  ];
  if (Object.hasOwn(user, 'name') || Object.hasOwn(user, 'email')) {
    lines.push(`  name         ${user.name === undefined ? '(none)' : quoted(user.name)}`);
    lines.push(`  email        ${user.email === undefined ? '(none)' : quoted(user.email)}`);
  } else {
    lines.push('  name, email  not shown (--show-personal shows them)');
  }
  return lines;
}

function routeLines(route: RouteVerdict): string[] {
  // The route as declared comes from the app's code (a `\\d` in it is meant): the sink escapes it.
  const declared = route.matched && route.matched !== route.route ? ` matches ${route.matched}` : '';
  const head = `Route ${printable(route.route)}${declared}${route.handler ? ` (${route.handler})` : ''}:`;
  const outcome =
    route.verdict === 'allowed'
      ? '  ALLOWED: @Authorized lets it through.'
      : route.verdict === 'open'
        ? '  OPEN: any caller, with or without a token (a refused token still gets 401).'
        : route.verdict === 'refused'
          ? `  REFUSED: ${route.status}${route.reason ? ` ${route.reason}` : ''}.`
          : route.verdict === 'not_found'
            ? '  NOT FOUND.'
            : '  INVALID: the app would not start.';
  const entries = route.entries.map(
    (entry) =>
      `  ${entry.held === true ? 'held    ' : entry.held === false ? 'not held' : 'unknown '}  ${entry.entry}${entry.reason ? ` (${entry.reason})` : ''}`,
  );
  return [head, outcome, ...entries, ...route.details.map((detail) => `  ${detail}`)];
}

/** `2025-06-01T10:00:00Z, in 59 min`: a token's time and how far it is from now. */
function timeNote(seconds: number, nowSeconds: number): string {
  if (!isDate(seconds)) return isoTime(seconds);
  const offset = seconds - nowSeconds;
  return `${isoTime(seconds)}, ${offset >= 0 ? `in ${describeDuration(offset)}` : `${describeDuration(offset)} ago`}`;
}
