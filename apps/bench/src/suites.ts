import type { BenchOptions, SuiteName } from './bench-options';
import type { BenchRow } from './bench-table';
import type { BenchDataset } from './dataset';
import type { EmbeddedChoice } from './store-target';

/** What every suite gets: the parsed flags and a progress line writer (stderr). */
export interface SuiteContext extends BenchOptions {
  readonly log: (line: string) => void;
}

export interface Suite {
  readonly name: SuiteName;
  /** Whether `--embedded` moves this suite's store to PGlite; shown in its rows' figure names either way. */
  readonly embeddable: boolean;
  /**
   * Run after the others (its rows still print in table order): the projections line rebuilds
   * the shared data set's read models, which leaves them without an LTV fit, and the reads and
   * as-of lines would otherwise wait for the set to be fitted again.
   */
  readonly runsLast?: boolean;
  run(context: SuiteContext): Promise<BenchRow[]>;
}

/** Fewer runs where one run is long (a million-event rebuild, an import, three queue variants): the whole table must fit 10 minutes. */
const atMost = (runs: number, limit: number) => Math.min(runs, limit);

/**
 * The lines of the table in the order printed. Each suite answers rows; the adapters here map
 * the common flags onto each suite's own options. Each loads its module when it runs: the
 * runner and every suite's process load only what they use (the API's modules alone take about
 * 1.6 s to load here, and a --quick run starts nine processes).
 */
export const SUITES: readonly Suite[] = [
  {
    name: 'import',
    embeddable: true,
    run: async ({ databaseUrl, redisUrl, sizes, embedded, log }) =>
      (await import('./import.bench.js')).importBench({ databaseUrl, redisUrl, accounts: sizes['import-accounts'], smallAccounts: sizes['import-small'], runs: atMost(sizes.runs, 3), embedded, log }),
  },
  {
    name: 'append',
    embeddable: true,
    run: async ({ databaseUrl, sizes, embedded, log }) => (await import('./append.bench.js')).appendBench({ databaseUrl, events: sizes.events, runs: sizes.runs, embedded, log }),
  },
  {
    name: 'http',
    embeddable: true,
    run: async ({ databaseUrl, sizes, embedded, log }) =>
      (await import('./http-commands.bench.js')).httpCommandsBench({ databaseUrl, embedded, accounts: sizes['command-accounts'], runs: atMost(sizes.runs, 3), durationSeconds: sizes['http-seconds'], clients: 16, referenceConnections: 8, log }),
  },
  {
    name: 'projections',
    embeddable: true,
    runsLast: true,
    // The shared data set (~1M events at its default size) unless a log size is asked for; at
    // most 3 runs (a rebuild of a million events takes 25-60 s on a 2-core machine), each
    // rebuild after a scan of its own, so the figure is a median with its min and max.
    run: async (context) => {
      const { databaseUrl, sizes, explicit, quick, perProjection, embedded, log } = context;
      // --quick rebuilds a small log of its own: a rebuild leaves the shared data set without an
      // LTV fit, which the next run's read lines would wait for (5 s of a one-minute smoke check).
      const own = explicit.has('projection-events') || quick;
      const { projectionBench } = await import('./projection.bench.js');
      return projectionBench({
        databaseUrl, embedded, events: sizes['projection-events'], runs: atMost(sizes.runs, 3), batchSize: sizes['batch-size'], perProjection, log,
        ...(own ? {} : { dataset: await sharedDataset(context) }),
      });
    },
  },
  {
    name: 'lag',
    embeddable: true,
    run: async ({ databaseUrl, sizes, embedded, log }) =>
      (await import('./live-lag.bench.js')).liveLagBench({ databaseUrl, embedded, rate: sizes['lag-rate'], durationSeconds: sizes['lag-seconds'], runs: atMost(sizes.runs, 3), eventsPerAppend: 1, accounts: sizes['lag-accounts'], refreshAccounts: sizes['lag-rescore'], log }),
  },
  {
    name: 'reads',
    embeddable: true,
    run: async (context) =>
      (await import('./http-reads.bench.js')).httpReadsBench({
        databaseUrl: context.databaseUrl, dataset: await sharedDataset(context), runs: atMost(context.sizes.runs, 3), durationSeconds: context.sizes['http-seconds'],
        connections: context.sizes['read-connections'], offeredRate: context.sizes['read-rate'] || undefined, loadShare: context.sizes['read-load-percent'] / 100, log: context.log,
      }),
  },
  {
    name: 'as-of',
    embeddable: true,
    // One fresh API process a run (three at most), as the other lines count their runs.
    run: async ({ databaseUrl, sizes, embedded, log }) =>
      (await import('./as-of.bench.js')).asOfBench({
        databaseUrl, embedded, events: sizes['as-of-events'], requests: sizes['as-of-requests'], freshProcesses: atMost(sizes.runs, 3), log,
      }),
  },
  {
    name: 'escalations',
    embeddable: false,
    run: async ({ databaseUrl, redisUrl, sizes, log }) =>
      (await import('./escalation.bench.js')).escalationBench({
        databaseUrl, redisUrl, complaints: sizes.escalations, ratePerSecond: sizes['escalation-rate'], clients: 4,
        queueJobs: sizes['queue-jobs'], runs: atMost(sizes.runs, 3), concurrencies: [sizes['queue-concurrency']], log,
      }),
  },
];

/** The order the selected suites run in: table order, but the ones that must run last at the end. */
export function runOrder(selected: readonly Suite[]): Suite[] {
  return [...selected.filter((suite) => !suite.runsLast), ...selected.filter((suite) => suite.runsLast)];
}

let dataset: { readonly accounts: number; readonly embedded: EmbeddedChoice; readonly ready: Promise<BenchDataset> } | undefined;

/** The demo data set the read lines share (seeded once, by a process of its own, then reused from its own schema or embedded folder). */
export function sharedDataset({ databaseUrl, sizes, embedded, log }: SuiteContext): Promise<BenchDataset> {
  if (dataset?.accounts !== sizes['dataset-accounts'] || dataset.embedded !== embedded) {
    const accounts = sizes['dataset-accounts'];
    dataset = { accounts, embedded, ready: import('./dataset.js').then(({ readyBenchDataset }) => readyBenchDataset({ databaseUrl, accounts, embedded, log })) };
  }
  return dataset.ready;
}
