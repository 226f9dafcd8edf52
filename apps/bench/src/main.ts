import { parseArgs } from 'node:util';
import { appendBench } from './append.bench';

/** `npm run bench -- [--events N] [--runs N] [--quick] [--no-embedded]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      runs: { type: 'string', default: '5' },
      quick: { type: 'boolean', default: false },
      'no-embedded': { type: 'boolean', default: false },
    },
  });
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
  const result = await appendBench({ databaseUrl, events, runs, embedded: !values['no-embedded'], log });
  console.log(`\nEvent store appends — ${events} events per run, median of ${runs} run(s); node ${process.version}`);
  console.log(`PostgreSQL: ${rows.map((row) => `${row.name}=${row.setting}`).join(', ')}\n`);
  console.log(result);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
