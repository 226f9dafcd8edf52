import type { BenchOptions, SuiteName } from './bench-options';
import type { BenchRow } from './bench-table';
import { appendBench } from './append.bench';
import { asOfBench } from './as-of.bench';
import { ensureBenchDataset, type BenchDataset } from './dataset';
import { escalationBench } from './escalation.bench';
import { httpCommandsBench } from './http-commands.bench';
import { httpReadsBench } from './http-reads.bench';
import { importBench } from './import.bench';
import { liveLagBench } from './live-lag.bench';
import { projectionBench } from './projection.bench';

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
 * the common flags onto each suite's own options.
 */
export const SUITES: readonly Suite[] = [
  {
    name: 'import',
    embeddable: true,
    run: ({ databaseUrl, redisUrl, sizes, embedded, log }) =>
      importBench({ databaseUrl, redisUrl, accounts: sizes['import-accounts'], runs: atMost(sizes.runs, 3), embedded, log }),
  },
  {
    name: 'append',
    embeddable: true,
    run: ({ databaseUrl, sizes, embedded, log }) => appendBench({ databaseUrl, events: sizes.events, runs: sizes.runs, embedded, log }),
  },
  {
    name: 'http',
    embeddable: false,
    run: ({ databaseUrl, sizes, log }) =>
      httpCommandsBench({ databaseUrl, accounts: sizes['command-accounts'], runs: atMost(sizes.runs, 3), durationSeconds: sizes['http-seconds'], clients: 16, referenceConnections: 8, log }),
  },
  {
    name: 'projections',
    embeddable: false,
    runsLast: true,
    // The shared data set (~1M events at its default size) unless a log size is asked for; one
    // run by default, as a rebuild of a million events takes a minute or two.
    run: async (context) => {
      const { databaseUrl, sizes, explicit, perProjection, log } = context;
      const own = explicit.has('projection-events');
      return projectionBench({
        databaseUrl, events: sizes['projection-events'], runs: explicit.has('runs') ? atMost(sizes.runs, 3) : 1, batchSize: sizes['batch-size'], perProjection, log,
        ...(own ? {} : { dataset: await sharedDataset(context) }),
      });
    },
  },
  {
    name: 'lag',
    embeddable: false,
    run: ({ databaseUrl, sizes, log }) =>
      liveLagBench({ databaseUrl, rate: sizes['lag-rate'], durationSeconds: sizes['lag-seconds'], eventsPerAppend: 1, accounts: sizes['lag-accounts'], log }),
  },
  {
    name: 'reads',
    embeddable: false,
    run: async (context) =>
      httpReadsBench({
        databaseUrl: context.databaseUrl, dataset: await sharedDataset(context), runs: atMost(context.sizes.runs, 3), durationSeconds: context.sizes['http-seconds'],
        connections: context.sizes['read-connections'], offeredRate: context.sizes['read-rate'] || undefined, loadShare: context.sizes['read-load-percent'] / 100, log: context.log,
      }),
  },
  {
    name: 'as-of',
    embeddable: false,
    run: ({ databaseUrl, sizes, log }) => asOfBench({ databaseUrl, events: sizes['as-of-events'], requests: sizes['as-of-requests'], log }),
  },
  {
    name: 'escalations',
    embeddable: false,
    run: ({ databaseUrl, redisUrl, sizes, log }) =>
      escalationBench({
        databaseUrl, redisUrl, complaints: sizes.escalations, ratePerSecond: sizes['escalation-rate'], clients: 4,
        queueJobs: sizes['queue-jobs'], runs: atMost(sizes.runs, 3), concurrencies: [sizes['queue-concurrency']], log,
      }),
  },
];

/** The order the selected suites run in: table order, but the ones that must run last at the end. */
export function runOrder(selected: readonly Suite[]): Suite[] {
  return [...selected.filter((suite) => !suite.runsLast), ...selected.filter((suite) => suite.runsLast)];
}

let dataset: { readonly accounts: number; readonly ready: Promise<BenchDataset> } | undefined;

/** The demo data set the read lines share (seeded once, then reused from its own schema). */
export function sharedDataset({ databaseUrl, sizes, log }: SuiteContext): Promise<BenchDataset> {
  if (dataset?.accounts !== sizes['dataset-accounts']) {
    dataset = { accounts: sizes['dataset-accounts'], ready: ensureBenchDataset({ databaseUrl, accounts: sizes['dataset-accounts'], log }) };
  }
  return dataset.ready;
}
