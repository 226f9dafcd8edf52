import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { appendBench } from './append.bench';
import { escalationBench } from './escalation.bench';
import { projectionBench } from './projection.bench';

const SUITES = ['append', 'projections', 'escalations', 'all'] as const;

/**
 * `npm run bench -- [--suite append|projections|escalations|all] [--events N] [--runs N]
 * [--projection-events N] [--batch-size N] [--escalations N] [--escalation-rate N]
 * [--queue-jobs N] [--quick] [--no-embedded]`
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      runs: { type: 'string', default: '5' },
      quick: { type: 'boolean', default: false },
      'no-embedded': { type: 'boolean', default: false },
      suite: { type: 'string', default: 'all' },
      'projection-events': { type: 'string', default: '1000000' },
      'batch-size': { type: 'string', default: '500' },
      escalations: { type: 'string', default: '1000' },
      'escalation-rate': { type: 'string', default: '50' },
      'queue-jobs': { type: 'string', default: '20000' },
    },
  });
  const suite = values.suite as (typeof SUITES)[number];
  if (!SUITES.includes(suite)) throw new Error(`--suite must be one of ${SUITES.join(', ')}`);
  const runsSuite = (name: (typeof SUITES)[number]) => suite === 'all' || suite === name;
  const projectionEvents = values.quick ? 20_000 : Number(values['projection-events']);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(projectionEvents) || projectionEvents < 1000) throw new Error('--projection-events must be an integer ≥ 1000');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch-size must be an integer from 1 to 10000');
  const events = values.quick ? 2000 : Number(values.events);
  const runs = values.quick ? 1 : Number(values.runs);
  if (!Number.isInteger(events) || events < 100) throw new Error('--events must be an integer ≥ 100');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { rows } = await import('pg').then(async ({ Client }) => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size')`,
      );
    } finally {
      await client.end();
    }
  });
  console.log(`\nnode ${process.version}; PostgreSQL: ${rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);
  if (runsSuite('append')) {
    const result = await appendBench({ databaseUrl, events, runs, embedded: !values['no-embedded'], log });
    console.log(`\nEvent store appends — ${events} events per run, median of ${runs} run(s)\n`);
    console.log(result);
  }
  if (runsSuite('projections')) {
    const result = await projectionBench({ databaseUrl, events: projectionEvents, runs: values.quick ? 1 : Math.min(runs, 3), batchSize, log });
    console.log(`\n${result}`);
  }
  if (runsSuite('escalations')) {
    const complaints = values.quick ? 100 : Number(values.escalations);
    const ratePerSecond = Number(values['escalation-rate']);
    const queueJobs = values.quick ? 2000 : Number(values['queue-jobs']);
    if (!Number.isInteger(complaints) || complaints < 1) throw new Error('--escalations must be a positive integer');
    if (!(ratePerSecond > 0)) throw new Error('--escalation-rate must be a positive number (complaints per second)');
    if (!Number.isInteger(queueJobs) || queueJobs < 500) throw new Error('--queue-jobs must be an integer ≥ 500');
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const result = await escalationBench({ databaseUrl, redisUrl, complaints, ratePerSecond, clients: 4, queueJobs, runs, concurrencies: [16, 50], log });
    console.log(`\n${result}`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
