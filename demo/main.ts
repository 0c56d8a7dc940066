import 'reflect-metadata';
import { ConfigurationError } from '../src';
import { curlLine, describeConfiguration, startDemoServer } from './demo-server';
import { startDemoTelemetry } from './demo-telemetry';

async function main(): Promise<void> {
  // Before the app: the library resolves its instruments when the app is composed.
  const demo = await startDemoServer(process.env, startDemoTelemetry());
  const lines = [`entra-auth-middleware demo listening on ${demo.url} (${demo.mode} mode)`, ''];
  if (demo.mode === 'embedded') {
    lines.push('Embedded Entra ID emulator: no Azure account needed. Tokens are valid for one hour.', '');
    for (const curlCase of demo.curlCases) {
      lines.push(`# ${curlCase.label} (expect ${curlCase.expectedStatus})`, curlLine(demo.url, curlCase), '');
    }
  } else {
    lines.push(
      'Validating tokens of the configured authority:',
      ...describeConfiguration(demo.settings).map((line) => `  ${line}`),
      '',
    );
    lines.push(`Try: curl -i -H "Authorization: Bearer $TOKEN" ${demo.url}/user/profile`, '');
  }
  lines.push(`Swagger UI: ${demo.url}/docs (document: ${demo.url}/openapi.json)`);
  if (demo.appOnlyClient) {
    lines.push(
      '  Authorize → authorizationCode (PKCE): sign in and pick a persona (member, administrator, overage administrator).',
      `  App-only: clientCredentials with client_id ${demo.appOnlyClient.clientId} and client_secret ${demo.appOnlyClient.clientSecret} (the emulator's test client).`,
    );
  } else {
    lines.push(
      `  Signs in as the application ${demo.swaggerUiClientId} (SWAGGER_UI_CLIENT_ID); register ${demo.url}/docs/oauth2-redirect.html as its single-page-application redirect URI.`,
    );
  }
  lines.push('');
  lines.push('Open route: ' + `curl -i ${demo.url}/health`);
  lines.push('Metrics (Prometheus text): ' + `curl ${demo.url}/metrics`, 'Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (): void => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // Configuration errors name the bad settings; nothing else about the environment is printed.
  process.stderr.write(`${error instanceof ConfigurationError ? error.message : String(error)}\n`);
  process.exit(1);
});
