import { checkAuthority } from './authority-checks';
import type { CliContext } from './cli-context';
import type { ExitCode } from './exit-codes';
import { EXIT_CODES } from './exit-codes';
import { error, exitCodeOf, ok, warning, type Finding } from './finding';
import { checkGraph } from './graph-checks';
import { RecordingHttpClient } from './recording-http-client';
import { checkRegistration } from './registration-checks';

/** Everything `doctor` found, as `--json` prints it. */
export interface DoctorReport {
  readonly command: 'doctor';
  readonly usable: boolean;
  readonly exitCode: ExitCode;
  readonly findings: readonly Finding[];
}

/**
 * Checks the configuration against the live authority through the app's HttpClient: the tenant,
 * discovery and keys of both token versions, the issuer, the clock; then, with Graph credentials,
 * app tokens, Graph's permissions and the API's own registration, compared with the settings and
 * (with the app's controllers loaded) the routes.
 */
export async function doctor(context: CliContext, controllersLoaded: boolean): Promise<DoctorReport> {
  const { settings, clock } = context;
  const http = new RecordingHttpClient(context.http, () => clock.now());
  const findings: Finding[] = [ok('configuration', `Settings loaded from the ${context.source}.`)];
  if (settings.middlewareDisabled) {
    findings.push(
      warning(
        'configuration',
        'AUTH_MIDDLEWARE_DISABLED=true: no token is verified; every request is the synthetic user.',
        'Unset it outside local development.',
      ),
    );
  }
  const routes = controllersLoaded ? await import('./app-routes.js') : undefined;
  for (const problem of routes?.startupProblems(settings) ?? []) {
    findings.push(
      error(
        'routes',
        `The app would not start: ${problem}`,
        'Correct the entry (docs/design.md#authorization).',
        EXIT_CODES.configuration,
      ),
    );
  }
  const authority = await checkAuthority(context, http);
  findings.push(...authority.findings);
  if (authority.reachable) {
    const graph = await checkGraph(context, http);
    findings.push(...graph.findings);
    findings.push(...(await checkRegistration(context, http, graph.appTokens, routes?.routeEntries())));
  }
  const exitCode = exitCodeOf(findings);
  return { command: 'doctor', usable: exitCode === EXIT_CODES.ok, exitCode, findings };
}
