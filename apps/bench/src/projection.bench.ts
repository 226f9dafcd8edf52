import { performance } from 'node:perf_hooks';
import { openDatabase, type SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '@ahe/projections';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { formatRate, rate, table, type Figure } from './measure';

export interface ProjectionBenchOptions {
  readonly databaseUrl: string;
  /** Events in the log to rebuild from (approximate: whole demo accounts). */
  readonly events: number;
  readonly runs: number;
  readonly batchSize: number;
  readonly log: (line: string) => void;
}

/** Demo accounts over three years average about 64 events each. */
const EVENTS_PER_DEMO_ACCOUNT = 64;
const SCHEMA = 'bench_projections';

/**
 * Rebuild speed of the read models against a plain ordered scan of the same events, measured
 * in the same run. The log is seeded once with demo data and kept in its own schema, since
 * seeding a million events takes longer than rebuilding them.
 */
export async function projectionBench(options: ProjectionBenchOptions): Promise<string> {
  const sql = await openDatabase({ kind: 'postgres', connectionString: options.databaseUrl, schema: SCHEMA, poolSize: 4 });
  try {
    await sql.exec(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    const store = await eventStoreOn(sql);
    try {
      const events = await ensureLog(sql, store, options);
      const definitions = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 3_600_000, ltvRefitIntervalMs: 3_600_000 });
      const scan = await rate(options.runs, () => orderedScan(sql, options.batchSize));
      const readAll = await rate(options.runs, () => storeScan(store, options.batchSize));
      const rows: string[][] = [
        ['plain ordered scan (SQL keyset pages)', formatRate(scan), '1.00'],
        ['store readAll scan', formatRate(readAll), ratio(readAll, scan)],
      ];
      const engine = new ProjectionEngine({ sql, store, definitions, batchSize: options.batchSize });
      await engine.start();
      try {
        options.log('bringing the serving read models up to date (not timed)…');
        await engine.waitUntilCaughtUp(3_600_000);
        for (const subset of [...definitions.map((definition) => [definition]), definitions]) {
          const label = subset.length === 1 ? `rebuild ${subset[0]!.name}` : 'rebuild all read models (concurrently)';
          options.log(`${label}…`);
          const figure = await rate(options.runs, async () => {
            await Promise.all(subset.map((definition) => engine.rebuild(definition.name)));
            return events;
          });
          rows.push([label, formatRate(figure), ratio(figure, scan)]);
        }
      } finally {
        await engine.stop();
      }
      return [
        `Projection rebuild — ${events.toLocaleString('en')} demo events, batches of ${options.batchSize}, median of ${options.runs} run(s)`,
        '',
        table(['figure', 'events/s (min–max)', '× ordered scan'], rows),
      ].join('\n');
    } finally {
      await store.close();
    }
  } finally {
    await sql.close();
  }
}

const ratio = (figure: Figure, reference: Figure) => (figure.median / reference.median).toFixed(2);

async function countEvents(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
  return Number(rows[0]!.count);
}

async function ensureLog(sql: SqlClient, store: EventStore, options: ProjectionBenchOptions): Promise<number> {
  const existing = await countEvents(sql);
  if (existing >= options.events * 0.95) {
    options.log(`reusing ${existing.toLocaleString('en')} events in schema ${SCHEMA}`);
    return existing;
  }
  if (existing > 0) {
    // Another size than asked for: start again (the rebuilt read models go with it).
    await sql.exec(`DROP SCHEMA ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    options.log(`dropped ${existing.toLocaleString('en')} events of an earlier run of another size`);
  }
  const accounts = Math.ceil(options.events / EVENTS_PER_DEMO_ACCOUNT);
  options.log(`seeding about ${options.events.toLocaleString('en')} demo events (${accounts} accounts) into schema ${SCHEMA}…`);
  const started = performance.now();
  await seedPortfolio(store, { accounts, years: 3, seed: 1000 });
  const total = await countEvents(sql);
  options.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s; ${total.toLocaleString('en')} events`);
  return total;
}

/** What any reader of the log must at least do: keyset pages in the global order, rows decoded. */
async function orderedScan(sql: SqlClient, batchSize: number): Promise<number> {
  let after = { commit: '0', prepare: '0' };
  let count = 0;
  for (;;) {
    const { rows } = await sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT * FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
       ORDER BY transaction_id, global_position LIMIT $3`,
      [after.commit, after.prepare, batchSize],
      'bench_ordered_scan',
    );
    if (rows.length === 0) return count;
    count += rows.length;
    const last = rows[rows.length - 1]!;
    after = { commit: String(last.transaction_id), prepare: String(last.global_position) };
  }
}

async function storeScan(store: EventStore, batchSize: number): Promise<number> {
  let count = 0;
  let batch = await store.readAll({ limit: batchSize });
  while (batch.events.length > 0) {
    count += batch.events.length;
    batch = await store.readAll({ after: batch.checkpoint, limit: batchSize });
  }
  return count;
}
