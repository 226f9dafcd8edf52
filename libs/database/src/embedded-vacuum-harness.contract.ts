import type { EmbeddedVacuum, PgliteClient, VacuumReport } from './index';

/** What the specs of EmbeddedVacuum share: tables in a given state, and stepping until none is due. */

export interface TableStats {
  n_dead_tup: number;
  last_vacuum: Date | null;
  last_analyze: Date | null;
}

export async function statsOf(client: PgliteClient, table: string): Promise<TableStats> {
  const { rows } = await client.query<TableStats>('SELECT n_dead_tup, last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = $1', [table]);
  return rows[0]!;
}

let tables = 0;

/** A new table of `rows` rows, each then updated `updates` times, its statistics published. */
export async function tableWith(client: PgliteClient, rows: number, updates: number): Promise<string> {
  const name = `upkeep_${process.pid}_${++tables}`;
  await client.exec(`CREATE TABLE ${name} (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)`);
  await client.query(`INSERT INTO ${name} (id) SELECT generate_series(1, $1::int)`, [rows]);
  for (let i = 0; i < updates; i++) await client.exec(`UPDATE ${name} SET n = n + 1`);
  await statisticsPublished();
  return name;
}

/** A backend publishes its table statistics at most once a second (PostgreSQL's PGSTAT_MIN_INTERVAL), at the end of a statement. */
export function statisticsPublished(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_100));
}

export async function burnTransactionIds(client: PgliteClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.query('SELECT txid_current()');
}

/** Steps until no table is due; what each maintained, in order, and the errors of steps that failed. */
export async function drain(vacuum: EmbeddedVacuum, limit = 500): Promise<{ reports: VacuumReport[]; errors: Error[] }> {
  const reports: VacuumReport[] = [];
  const errors: Error[] = [];
  for (let step = 0; step < limit; step++) {
    const outcome = await vacuum.step().catch((error: Error) => (errors.push(error), 'failed' as const));
    if (outcome === 'failed') continue;
    if (!outcome.vacuumed) return { reports, errors };
    reports.push(outcome.vacuumed);
  }
  throw new Error(`still tables due after ${limit} steps`);
}

export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
