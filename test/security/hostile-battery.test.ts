import { expect } from 'chai';
import { Authorized, CurrentUser, Get, JsonController } from 'routing-controllers';
import type { EntraIdUser } from '../../src';
import { getTestKeyPair } from '../../src/testing';
import { withApp } from '../support/app';
import { InMemoryTelemetry, expectNoPersonalOrSecretAttributes, sumOf } from '../support/in-memory-telemetry';
import { algorithmAndKeyScenarios } from './corpus/algorithm-and-key';
import { authorizationHeaderScenarios } from './corpus/authorization-header';
import { claimsAndTimeScenarios } from './corpus/claims-and-time';
import { encodingScenarios } from './corpus/encoding';
import { entraBindingScenarios } from './corpus/entra-binding';
import { headerTrustScenarios } from './corpus/header-trust';
import { ADMIN_ROLE, PROTECTED_PATH, type HostileCase, type Scenario } from './corpus/hostile-case';
import { AttackerHost } from './support/attacker-host';
import { HostileClient, type Reply } from './support/hostile-client';
import { Random } from '../support/random';
import { printTable } from './support/summary';

@JsonController('/battery')
class BatteryController {
  @Authorized()
  @Get('/protected')
  protectedRoute(@CurrentUser() user: EntraIdUser) {
    return { id: user.id };
  }

  @Authorized([`role:${ADMIN_ROLE}`])
  @Get('/admin')
  admin() {
    return { admin: true };
  }
}

const SEED = 0x0badc0de;

interface Figures {
  tried: number;
  refused: number;
  accepted: number;
  serverErrors: number;
  reasons: Map<string, number>;
}

/** Own property names of Object.prototype and their values: what a pollution would change. */
function prototypeSnapshot(): Array<[string, unknown]> {
  return Object.getOwnPropertyNames(Object.prototype).map((name) => [
    name,
    Object.getOwnPropertyDescriptor(Object.prototype, name)!.value,
  ]);
}

/** What the response must not contain: the token and each of its segments. */
function echoes(reply: Reply, token: string | undefined): boolean {
  if (!token) return false;
  const needles = [token, ...token.split('.').filter((segment) => segment.length >= 16)];
  return needles.some((needle) => reply.body.includes(needle) || reply.challenge.includes(needle));
}

describe('Hostile-token battery: thousands of attack requests through Koa + routing-controllers, none accepted, none a 5xx', function () {
  this.timeout(150_000);
  const figures = new Map<string, Figures>();
  const failures = new Map<string, string[]>();
  let attacker: AttackerHost;
  let client: HostileClient;
  let random: Random;
  let prototypeBefore: Array<[string, unknown]>;
  let spare: Awaited<ReturnType<typeof getTestKeyPair>>;

  let telemetry: InMemoryTelemetry;

  before(async () => {
    // Every app reports to an OpenTelemetry SDK, with a span per validation: judged at the end.
    telemetry = InMemoryTelemetry.start();
    prototypeBefore = prototypeSnapshot();
    attacker = await AttackerHost.start();
    client = new HostileClient();
    random = new Random(SEED);
    spare = await getTestKeyPair(9);
  });

  after(async () => {
    await telemetry.stop();
    client.close();
    await attacker.close();
    const rows = [...figures].map(([name, f]) => [name, f.tried, f.refused, f.accepted, f.serverErrors]);
    const total = [...figures.values()].reduce(
      (sum, f) => [sum[0]! + f.tried, sum[1]! + f.refused, sum[2]! + f.accepted, sum[3]! + f.serverErrors],
      [0, 0, 0, 0],
    );
    printTable(
      `Hostile-token battery (seed 0x${SEED.toString(16)})`,
      ['class', 'tried', 'refused', 'accepted', '5xx'],
      [...rows, ['total', ...total]],
    );
    const reasons = [...figures].flatMap(([name, f]) =>
      [...f.reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([reason, count], index) => [index === 0 ? name : '', reason, count]),
    );
    printTable('Refusals by reason code (status where the body has none)', ['class', 'reason', 'requests'], reasons);
  });

  /** Runs each scenario on its own emulator and app, and records every case's outcome under `className`. */
  async function runClass(className: string, scenarios: Scenario[]): Promise<void> {
    const f: Figures = { tried: 0, refused: 0, accepted: 0, serverErrors: 0, reasons: new Map() };
    const problems: string[] = [];
    figures.set(className, f);
    failures.set(className, problems);
    for (const scenario of scenarios) {
      const app = await withApp({
        controllers: [BatteryController],
        settings: scenario.settings ?? {},
        telemetry: { validationSpans: true },
      });
      const { emulator } = app;
      try {
        await scenario.prepare?.(emulator);
        // Control: the same app serves a genuine token, so every refusal below is about the attack.
        const control = await client.send(`${app.url}${PROTECTED_PATH}`, {
          Authorization: `Bearer ${emulator.mintAccessToken()}`,
        });
        expect(control.status, `${scenario.name}: control token`).to.equal(200);
        const cases = scenario.cases({ emulator, attacker, random });
        await client.sendAll(cases, async (hostile: HostileCase) => {
          const reply = await client.send(`${app.url}${hostile.path ?? PROTECTED_PATH}`, hostile.headers);
          f.tried++;
          if (reply.status >= 200 && reply.status < 300) f.accepted++;
          else if (reply.status >= 500) f.serverErrors++;
          else f.refused++;
          const reason = /"reason":"([a-z_]+)"/.exec(reply.body)?.[1] ?? String(reply.status);
          f.reasons.set(reason, (f.reasons.get(reason) ?? 0) + 1);
          const expected = hostile.expectedStatus ?? 401;
          if (reply.status !== expected)
            problems.push(`${scenario.name} / ${hostile.name}: ${reply.status} ${reply.body.slice(0, 120)}`);
          if (echoes(reply, hostile.token))
            problems.push(`${scenario.name} / ${hostile.name}: response echoes the token`);
        });
      } finally {
        await app.close();
      }
    }
  }

  function expectAllRefused(className: string): void {
    const f = figures.get(className)!;
    expect(failures.get(className), className).to.deep.equal([]);
    expect(f.accepted, 'accepted').to.equal(0);
    expect(f.serverErrors, '5xx').to.equal(0);
    expect(f.refused).to.equal(f.tried);
  }

  it('algorithm and key: alg none, confused algs, HMAC with the public key, ECDSA zero signatures, hostile key sets', async () => {
    await runClass('algorithm and key', algorithmAndKeyScenarios(random, spare));
    expectAllRefused('algorithm and key');
  });

  it('header trust: jwk, jku, x5u, x5c never followed (the attacker host sees 0 requests); hostile kid, crit, b64', async () => {
    await runClass('header trust', headerTrustScenarios);
    expectAllRefused('header trust');
    expect(attacker.requests, 'requests to the attacker host').to.equal(0);
  });

  it('encoding: segments, stripped and bit-flipped signatures, non-object payloads, stray characters, oversized tokens', async () => {
    await runClass('encoding', encodingScenarios);
    expectAllRefused('encoding');
  });

  it('claims and time: exp missing, mistyped, infinite or past; nbf and iat in the future; prototype-named claims grant nothing', async () => {
    await runClass('claims and time', claimsAndTimeScenarios);
    expectAllRefused('claims and time');
  });

  it('Entra binding: issuer, tenant, key issuer, allow-list, audience and token kind', async () => {
    await runClass('Entra binding', entraBindingScenarios(spare));
    expectAllRefused('Entra binding');
  });

  it('the Authorization header: missing, other schemes, empty, two tokens, comma-joined, two headers', async () => {
    await runClass('Authorization header', authorizationHeaderScenarios);
    expectAllRefused('Authorization header');
  });

  it('sends at least 5,000 hostile requests in all', () => {
    const tried = [...figures.values()].reduce((sum, f) => sum + f.tried, 0);
    expect(tried).to.be.at.least(5000);
  });

  it('exports no token, tenant id, user id, email or URL in any metric or span attribute, and counts each refusal under its reason', async () => {
    const points = await telemetry.points();
    const spans = telemetry.spans();
    const tried = [...figures.values()].reduce((sum, f) => sum + f.tried, 0);
    const validationSpans = spans.filter((span) => span.name === 'entra_auth.token.validate');
    expect(validationSpans.length, 'a span per validation').to.be.at.least(tried / 2);
    expect(expectNoPersonalOrSecretAttributes(points, spans)).to.be.greaterThan(validationSpans.length);
    // Each refusal is counted under the reason its response names: validations for the token's
    // reasons, decisions for what @Authorized refused (431s never reach the app).
    const byReason = new Map<string, number>();
    for (const f of figures.values()) {
      for (const [reason, count] of f.reasons) byReason.set(reason, (byReason.get(reason) ?? 0) + count);
    }
    const counted = [...byReason.keys()]
      .filter((reason) => /^[a-z_]+$/.test(reason))
      .map((reason) => [
        reason,
        sumOf(points, 'entra_auth.token.validations', { outcome: 'refused', reason }) +
          sumOf(points, 'entra_auth.authorization.decisions', { outcome: 'denied', reason }),
      ]);
    expect(Object.fromEntries(counted)).to.deep.equal(
      Object.fromEntries([...byReason].filter(([reason]) => /^[a-z_]+$/.test(reason))),
    );
  });

  it('leaves Object.prototype unchanged in the server process', () => {
    expect(prototypeSnapshot()).to.deep.equal(prototypeBefore);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });
});
