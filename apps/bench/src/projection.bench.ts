import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '@ahe/projections';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { ensureDatasetFitted } from './dataset';
import { orderedScan, storeScan } from './log-scans';
import { figureOf, rate, rateAfter } from './measure';
import { CpuMeter, withApplicationName } from './rebuild-cpu';
import { cleanUp, describeTarget, dropTarget, freshTarget, openTarget, whereOf, type EmbeddedChoice, type StoreTarget } from './store-target';

export interface ProjectionBenchOptions {
  readonly databaseUrl: string;
  /** Events in the log to rebuild from (approximate: whole demo accounts); ignored with `dataset`. */
  readonly events: number;
  readonly runs: number;
  /** Page size of both scans, and the engine's live batch size (a rebuild reads 10× larger pages). */
  readonly batchSize: number;
  /** Also time each read model's rebuild alone (a rebuild of the whole log each). */
  readonly perProjection?: boolean;
  /** The shared data set (dataset.ts): rebuild from its log instead of seeding one of our own. */
  readonly dataset?: { readonly target: StoreTarget; readonly events: number };
  /**
   * Where a log of our own is seeded: PostgreSQL (false, the default; kept in a schema per size)
   * or the embedded store (a temporary folder, seeded each run). The data set's store is its own.
   */
  readonly embedded?: EmbeddedChoice;
  readonly log: (line: string) => void;
}

/** Demo accounts over three years average about 64 events each. */
const EVENTS_PER_DEMO_ACCOUNT = 64;
/** The schema of a log of our own, one per size asked for, so runs of different sizes keep theirs. */
const ownSchema = (events: number) => `bench_projections_${events}`;
const TARGET: BenchTarget = { minRatio: 0.5, of: 'scan' };
/** Longest wait, between two runs, for the LTV fit of the generation the first one swapped in. */
const FIT_WAIT_MS = 180_000;
const FIT_POLL_MS = 200;

/**
 * Rebuild speed of the read models against a plain ordered scan of the same events, measured
 * in the same run (a scan just before each rebuild). The log is the shared data set's, or
 * seeded with demo data: on PostgreSQL once, kept in a schema per size, since seeding a million
 * events takes longer than rebuilding them; on the embedded store into a folder of the run's.
 */
export async function projectionBench(options: ProjectionBenchOptions): Promise<BenchRow[]> {
  const target = options.dataset?.target ?? ownTarget(options);
  // Every run starts from a fitted ltv_models, as in a full run after the reads line: a suite run
  // alone after an `ahe rebuild ltv_models` would otherwise share its first run with the fit.
  if (options.dataset) await ensureDatasetFitted({ target, databaseUrl: options.databaseUrl }, options.log);
  // A log of our own on the embedded store is a folder of this run's, removed however the run ends; the shared data set is kept.
  const dropOwnFolder = () => (target.kind === 'embedded' && !options.dataset ? dropTarget(target) : Promise.resolve());
  let sql: SqlClient | undefined;
  try {
    sql = await openTarget(target.kind === 'postgres' ? { ...target, databaseUrl: withApplicationName(target.databaseUrl) } : target, 8);
    return await measure(sql, target, options);
  } finally {
    const opened = sql;
    await cleanUp('the projections line', ...(opened ? [() => opened.close()] : []), dropOwnFolder);
  }
}

/** The scans and rebuilds on the opened store, the log seeded first when it is our own and not in place. */
async function measure(sql: SqlClient, target: StoreTarget, options: ProjectionBenchOptions): Promise<BenchRow[]> {
  if (target.kind === 'postgres') await sql.exec(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
  const store = await eventStoreOn(sql);
  try {
    const where = describeTarget(target);
    const events = options.dataset ? await countEvents(sql) : await ensureLog(sql, store, target, where, options);
    const definitions = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 3_600_000, ltvRefitIntervalMs: 3_600_000 });
    const note = `${events.toLocaleString('en')} demo events in ${where}, live batches of ${options.batchSize}, median of ${options.runs} run(s)`;
    const scans: number[] = [];
    const scan = () => rate(1, () => orderedScan(sql, options.batchSize)).then((figure) => (scans.push(figure.median), figure));
    // The store's own scan of the log (readAll pages, decoded as the engine reads them), one a
    // run of the rebuild of all read models, just after that run's plain scan: both lines
    // compare with the same scans (each scan of the million events takes seconds).
    const storeScans: number[] = [];
    const rows: BenchRow[] = [];
    const engine = new ProjectionEngine({ sql, store, definitions, batchSize: options.batchSize });
    const meter = () => CpuMeter.start(sql, target.kind);
    const storeSuffix = ` — ${whereOf(target)}`;
    await engine.start();
    try {
      options.log('bringing the serving read models up to date (not timed)…');
      const catchUp = await meter();
      await engine.waitUntilCaughtUp(3_600_000);
      options.log(`  up to date; if this was a first catch-up, ${await catchUp.perEvent(events)}`);
      // A rebuild swaps in an ltv_models generation without a fit, which the engine then fits
      // on a worker thread (5-8 s of CPU at 1M events): measured inside the next run, it took
      // a core from that rebuild (Node's CPU an event 16.6 µs in the first of three runs,
      // 20.2 and 18.8 in the two after, the worker's profile busy just after each swap). Each
      // run after the first starts once the serving generations are fitted, as the first does.
      const fitted = await ltvFitted(sql);
      const subsets = [...(options.perProjection ? definitions.map((definition) => [definition]) : []), definitions];
      for (const subset of subsets) {
        const all = subset.length > 1;
        const label = all ? 'projection rebuild of all read models (concurrently)' : `projection rebuild of ${subset[0]!.name}`;
        options.log(`${label}…`);
        const before = scans.length;
        const cpus: string[] = [];
        const prepare = async () => {
          if (fitted) await waitForLtvFit(sql, options.log);
          // Each run's plain scan just before it, untimed here: until 2026-12-01 it was timed with
          // the store's scan (and the rebuild) and made both look slower than they were.
          await scan();
          if (all) storeScans.push((await rate(1, () => storeScan(store, options.batchSize))).median);
          return meter();
        };
        const figure = await rateAfter(options.runs, prepare, async (cpu) => {
          await Promise.all(subset.map((definition) => engine.rebuild(definition.name)));
          const perEvent = await cpu.perEvent(events);
          cpus.push(perEvent);
          options.log(`  ${perEvent}`);
          return events;
        });
        const reference = figureOf(scans.slice(before));
        const ratio = figure.median / reference.median;
        const readAll = all ? figureOf(storeScans) : undefined;
        if (readAll) {
          rows.unshift({
            figure: `projections: store readAll scan, events/s${storeSuffix}`, rate: readAll, unit: 'events/s', reference: { name: 'plain ordered scan (SQL keyset pages)', rate: reference },
            ratio: readAll.median / reference.median, note: `${note}; each run just after the plain scan of a rebuild run`,
          });
        }
        rows.push({
          figure: `${label}, events/s${storeSuffix}`, rate: figure, unit: 'events/s', reference: { name: 'plain ordered scan of the same events', rate: reference }, ratio,
          ...(all ? { ...goalOf(TARGET), met: reaches(TARGET, { ratio }) } : {}),
          // The store may read the log faster than the plain scan (on the embedded store, a page as one document): both ratios shown.
          note: `${note}; ${cpus.join('; ')}${readAll ? `; ${(figure.median / readAll.median).toFixed(2)} × the store's own readAll scan (the line above)` : ''}`,
        });
      }
      // The data set left as it was found: the last run's ltv_models generation fitted. A process
      // that stopped its engine mid-fit would leave it unfitted, for the next run's reads to fit.
      // Upkeep after the measured runs: a fit that does not come is reported, not allowed to lose their rows.
      if (fitted) await waitForLtvFit(sql, options.log).catch((error: Error) => options.log(`  the data set is left without an LTV fit: ${error.message}`));
    } finally {
      await engine.stop();
    }
    return rows;
  } finally {
    await store.close();
  }
}

/** A log of our own: a schema per size on PostgreSQL, kept; a temporary folder on the embedded store. */
function ownTarget(options: ProjectionBenchOptions): StoreTarget {
  return options.embedded
    ? freshTarget(options.embedded, options.databaseUrl, `bench_projections_${process.pid}`)
    : { kind: 'postgres', databaseUrl: options.databaseUrl, schema: ownSchema(options.events) };
}

async function ltvFitted(sql: SqlClient): Promise<boolean> {
  const { rows } = await sql.query<{ fitted: boolean }>('SELECT EXISTS (SELECT 1 FROM ltv_models) AS fitted');
  return rows[0]!.fitted;
}

/** Until the serving ltv_models generation holds a fit (at once unless a rebuild just swapped it in). */
async function waitForLtvFit(sql: SqlClient, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  while (!(await ltvFitted(sql))) {
    if (performance.now() - started > FIT_WAIT_MS) throw new Error(`the rebuilt ltv_models generation had no fit after ${FIT_WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, FIT_POLL_MS));
  }
  const waited = performance.now() - started;
  if (waited >= FIT_POLL_MS) log(`  waited ${(waited / 1000).toFixed(1)} s for the LTV fit of the generation swapped in (not timed)`);
}

async function countEvents(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
  return Number(rows[0]!.count);
}

async function ensureLog(sql: SqlClient, store: EventStore, target: StoreTarget, where: string, options: ProjectionBenchOptions): Promise<number> {
  const existing = await countEvents(sql);
  if (existing >= options.events * 0.95) {
    options.log(`reusing ${existing.toLocaleString('en')} events in ${where}`);
    return existing;
  }
  // Each size has its schema (an embedded folder is new), so fewer events than asked for are an earlier seeding that stopped part-way: start again.
  if (existing > 0 && target.kind === 'postgres') {
    await sql.exec(`DROP SCHEMA ${target.schema} CASCADE; CREATE SCHEMA ${target.schema}`);
    options.log(`dropped ${existing.toLocaleString('en')} events of an earlier seeding that did not finish`);
  }
  const accounts = Math.ceil(options.events / EVENTS_PER_DEMO_ACCOUNT);
  options.log(`seeding about ${options.events.toLocaleString('en')} demo events (${accounts} accounts) into ${where}…`);
  const started = performance.now();
  await seedPortfolio(store, { accounts, years: 3, seed: 1000 });
  const total = await countEvents(sql);
  options.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s; ${total.toLocaleString('en')} events`);
  return total;
}
