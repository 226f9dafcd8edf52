import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SqlClient } from '@ahe/database';
import { eventStoreOn } from '@ahe/event-store';
import { buildReadModels, seedLog } from './dataset-build';
import { fitReadModels, fitStatus, isFitted } from './dataset-fit';
import { datasetTarget, DEFAULT_DATASET_ACCOUNTS, emptied, tablesSchemaOf, takeDatasetLock } from './dataset-target';
import { describeTarget, openTarget, type EmbeddedChoice, type StoreTarget } from './store-target';
import { describeExit, exitOf } from './suite-process';

/**
 * The shared demo data set of the benchmarks (issue 9): a demo portfolio seeded through the
 * import path and its read models built, kept in a schema of its own and reused while its
 * parameters match (they are stored beside it), since seeding and projecting a million events
 * takes minutes. The default size is also the 1M-event log of the projection rebuild. With
 * `--embedded` the set is kept in an embedded (PGlite) folder instead, built the same way.
 */
export interface BenchDatasetOptions {
  /** The database of the bench's lock (and of the set itself on PostgreSQL). */
  readonly databaseUrl: string;
  /** Where the set is kept: PostgreSQL (false, the default) or an embedded folder, PGlite on the thread named (its own by default). */
  readonly embedded?: EmbeddedChoice;
  /** Default 100,000; `--quick` 2,000. */
  readonly accounts?: number;
  /** Years of history: 0.3 gives about 10 events an account, so 1M events at 100k accounts. */
  readonly years?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface BenchDataset {
  /** The store holding the log (`events`) and the read models: a PostgreSQL schema, or an embedded folder, which its user opens alone. */
  readonly target: StoreTarget;
  /** The target in words, for the notes: `schema bench_dataset`, or `embedded folder /tmp/…`. */
  readonly where: string;
  readonly databaseUrl: string;
  readonly accounts: number;
  readonly years: number;
  readonly seed: number;
  readonly events: number;
  /** False when it was seeded by this call. */
  readonly reused: boolean;
  /** The i-th account's id (0-based), as the demo generator names it. */
  accountId(index: number): string;
}

export const QUICK_DATASET_ACCOUNTS = 2_000;
export const DEFAULT_DATASET_YEARS = 0.3;
const DATASET_SEED = 9000;
/** Demo data ends at a fixed instant (the generator's default), so the data set is reproducible. */
const ENDS_AT = '2026-01-01T00:00:00.000Z';
const PARAMS_TABLE = 'bench_dataset_params';
/**
 * Bump when the way the set is built changes what it holds, so a stored set of the old build is
 * rebuilt. 2: the read models wait for the LTV fit of the whole log. (Sets of version 2 built
 * before 2026-12-01 also re-scored every open health row with that fit; none of the lines
 * depends on it, see fitReadModels, so they are reused as they are.) 3: account_health.v5 stores
 * the account's collections as entry lists; an API that only serves HTTP never rebuilds the
 * set's v4 generation, so the reads would measure the old format.
 */
const BUILD_VERSION = 3;
/** The set's store and the parameters stored beside it (a set whose stored ones differ is built again). */
function datasetParams(options: BenchDatasetOptions) {
  const accounts = options.accounts ?? DEFAULT_DATASET_ACCOUNTS;
  const years = options.years ?? DEFAULT_DATASET_YEARS;
  const seed = options.seed ?? DATASET_SEED;
  if (!Number.isInteger(accounts) || accounts < 10) throw new RangeError('dataset accounts must be an integer ≥ 10');
  const target = datasetTarget(options.databaseUrl, accounts, options.embedded ?? false);
  return { target, accounts, years, seed, params: { version: BUILD_VERSION, accounts, years, seed, endsAt: ENDS_AT } };
}

/**
 * The shared data set for a suite that measures in this process. When anything is left to do
 * (seeding, building the read models, the LTV fit), a Node process of its own does it first
 * (`seedApart`, by default dataset-process.ts), so that this one measures without the heap that
 * work leaves: a reads suite that had seeded the set itself saw its server's scavenges take
 * 210–276 ms a 5-s run and a mark-compact in two of three top-50 runs (p99 57 / 14 / 53 ms),
 * against 41–44 ms and none in the next run, which found the set in place (docs/benchmarks.md).
 */
export async function readyBenchDataset(options: BenchDatasetOptions, seedApart: (options: BenchDatasetOptions) => Promise<void> = ensureInOwnProcess): Promise<BenchDataset> {
  if (!(await datasetReady(options))) await seedApart(options);
  return ensureBenchDataset(options);
}

/** Whether ensureBenchDataset would find nothing to do: the set of these parameters built, its LTV models fitted on the whole log. */
export async function datasetReady(options: BenchDatasetOptions): Promise<boolean> {
  const { target, params } = datasetParams(options);
  const sql = await openTarget(target, 1);
  try {
    const stored = await storedParams(sql);
    return stored !== null && stored.params === JSON.stringify(params) && isFitted(await fitStatus(sql));
  } finally {
    await sql.close();
  }
}

/** ensureBenchDataset in a child process (dataset-process.ts) with this process's Node flags; its lines go to `options.log`. */
async function ensureInOwnProcess(options: BenchDatasetOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { accounts, years, seed } = datasetParams(options);
  await runDatasetProcess(join(__dirname, 'dataset-process.js'), { databaseUrl: options.databaseUrl, embedded: options.embedded ?? false, accounts, years, seed }, log);
}

/** What dataset-process.ts takes as its one argument (JSON). */
export type DatasetProcessArgs = Required<Omit<BenchDatasetOptions, 'log'>>;

/** Runs `entry` with `args`, passing each line it prints to `log`; rejects when it exits otherwise than with 0. */
export async function runDatasetProcess(entry: string, args: DatasetProcessArgs, log: (line: string) => void): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv.filter((flag) => !flag.startsWith('--inspect')), entry, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', log);
  const exit = await exitOf(child);
  if (exit.code !== 0) throw new Error(`the process preparing the bench data set ${describeExit(exit)} (its output is above)`);
}

export async function ensureBenchDataset(options: BenchDatasetOptions): Promise<BenchDataset> {
  const { target, accounts, years, seed, params } = datasetParams(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const width = Math.max(4, String(accounts).length);
  const where = describeTarget(target);
  const dataset = (events: number, reused: boolean): BenchDataset => ({
    target, where, databaseUrl: options.databaseUrl, accounts, years, seed, events, reused,
    accountId: (index) => `demo-${seed}-${String(index + 1).padStart(width, '0')}`,
  });

  // Two suites (or two bench processes) asking at once: the second waits and reuses, never drops the first's work.
  const release = await takeDatasetLock(options.databaseUrl, target, log);
  let sql = await openTarget(target, 8).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  try {
    const stored = await storedParams(sql);
    if (stored !== null && stored.params === JSON.stringify(params)) {
      log(`data set: reusing ${stored.events.toLocaleString('en')} events of ${accounts.toLocaleString('en')} accounts in ${where}`);
      // A rebuild (the projections line) swaps in generations that have no fit yet.
      await fitReadModels(sql, log);
      return dataset(stored.events, true);
    }
    if (stored !== null || (await hasTables(sql, tablesSchemaOf(target)))) {
      log(`data set: ${where} holds another or an unfinished data set; dropping it`);
      sql = await emptied(sql, target);
    }
    const store = await eventStoreOn(sql);
    try {
      const events = await seedLog(store, params, log);
      await buildReadModels(sql, store, events, log);
      // Kept from here on: a fit that fails or times out is retried on reuse, without seeding again.
      await sql.exec(`CREATE TABLE ${PARAMS_TABLE} (params text NOT NULL, events bigint NOT NULL, built_at timestamptz NOT NULL DEFAULT now())`);
      await sql.query(`INSERT INTO ${PARAMS_TABLE} (params, events) VALUES ($1, $2)`, [JSON.stringify(params), events]);
      await fitReadModels(sql, log, store);
      await analyzeSchema(sql, tablesSchemaOf(target));
      return dataset(events, false);
    } finally {
      await store.close();
    }
  } finally {
    await sql.close();
    await release();
  }
}

/**
 * Brings the data set's serving LTV models to a fit of the whole log when they are not (a
 * rebuild since it was built, e.g. by the projections line, leaves new generations unfitted).
 * Cheap when they are: two aggregate reads.
 */
export async function ensureDatasetFitted(dataset: Pick<BenchDataset, 'target' | 'databaseUrl'>, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<void> {
  const release = await takeDatasetLock(dataset.databaseUrl, dataset.target, log);
  try {
    const sql = await openTarget(dataset.target, 8);
    try {
      await fitReadModels(sql, log);
    } finally {
      await sql.close();
    }
  } finally {
    await release();
  }
}

async function storedParams(sql: SqlClient): Promise<{ params: string; events: number } | null> {
  const { rows: [table] } = await sql.query<{ found: string | null }>(`SELECT to_regclass('${PARAMS_TABLE}')::text AS found`);
  if (!table?.found) return null;
  const { rows } = await sql.query<{ params: string; events: string }>(`SELECT params, events::text AS events FROM ${PARAMS_TABLE} LIMIT 1`);
  return rows[0] ? { params: rows[0].params, events: Number(rows[0].events) } : null;
}

/** The data set's tables only: a bare ANALYZE would also walk every other schema of the database (test leftovers). */
async function analyzeSchema(sql: SqlClient, schema: string): Promise<void> {
  const { rows } = await sql.query<{ name: string }>('SELECT format(\'%I.%I\', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1', [schema]);
  if (rows.length > 0) await sql.exec(`ANALYZE ${rows.map((row) => row.name).join(', ')}`);
}

async function hasTables(sql: SqlClient, schema: string): Promise<boolean> {
  const { rows } = await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM pg_tables WHERE schemaname = $1', [schema]);
  return Number(rows[0]!.count) > 0;
}
