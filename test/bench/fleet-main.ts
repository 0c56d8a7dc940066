// `npm run bench:fleet`: the fleet row of `npm run bench` alone (needs redis-server on PATH).
import 'reflect-metadata';
import { REDIS_SERVER_AVAILABLE } from '../support/redis-server';
import { fleetReport, measureFleet } from './fleet';
import { formatGoals } from './report';

async function main(): Promise<void> {
  if (!REDIS_SERVER_AVAILABLE) throw new Error('redis-server is not on PATH (apt-get install redis-server)');
  const { table, goals } = fleetReport(await measureFleet());
  console.log(`${table}\n\n${formatGoals(goals)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
