/** A size flag: its help text, its default, its `--quick` value and its bounds. */
export interface SizeFlag {
  readonly description: string;
  readonly standard: number;
  readonly quick: number;
  readonly min: number;
  readonly max?: number;
}

/**
 * The size flags of `npm run bench` and `ahe bench`, in one place so both take the same ones. One
 * left out takes its default, or its `--quick` value; one given explicitly always wins.
 */
export const SIZE_FLAGS = {
  runs: { description: 'runs per figure (median, min and max over them)', standard: 5, quick: 1, min: 1 },
  events: { description: 'events per append run', standard: 20_000, quick: 2_000, min: 100 },
  'import-accounts': { description: 'demo accounts per import run (about 64 events each)', standard: 1_500, quick: 30, min: 1 },
  'import-small': { description: 'demo accounts of the small-file ahe import line (a cold process on a small file; no goal; 0 leaves it out)', standard: 300, quick: 10, min: 0 },
  'projection-events': { description: 'when given: rebuild from a log of this size of its own instead of the shared data set', standard: 1_000_000, quick: 20_000, min: 1_000 },
  'batch-size': { description: 'rows per page of the projection rebuild and its scan (live batches; a rebuild reads ten times as many, at most 10,000)', standard: 500, quick: 500, min: 1, max: 10_000 },
  escalations: { description: 'critical complaints of the command → webhook run', standard: 1_000, quick: 100, min: 1 },
  'escalation-rate': { description: 'complaints per second of the command → webhook run', standard: 50, quick: 50, min: 1 },
  'queue-jobs': { description: 'no-op jobs per queue throughput run', standard: 10_000, quick: 2_000, min: 500 },
  'command-accounts': { description: 'accounts the HTTP commands are spread over', standard: 2_000, quick: 300, min: 1 },
  'http-seconds': { description: 'seconds of load per HTTP run (commands and reads)', standard: 5, quick: 1, min: 1 },
  'read-connections': { description: 'connections of the reads\' closed-loop runs, which measure each route\'s highest req/s', standard: 16, quick: 16, min: 1 },
  'read-rate': { description: 'req/s offered in the reads\' open-loop runs, which measure p50/p99; 0: --read-load-percent of each route\'s highest rate', standard: 0, quick: 0, min: 0 },
  'read-load-percent': { description: 'with --read-rate 0: the open-loop rate as a percentage of the route\'s highest (closed-loop) rate', standard: 50, quick: 50, min: 1 },
  'dataset-accounts': { description: 'demo accounts of the shared read data set (kept in its own schema or embedded folder, reused)', standard: 100_000, quick: 2_000, min: 100 },
  'lag-rate': { description: 'events per second appended while the live lag is measured', standard: 1_000, quick: 1_000, min: 1 },
  'lag-seconds': { description: 'seconds of steady appends of the live lag run', standard: 20, quick: 3, min: 1 },
  'lag-accounts': { description: 'accounts the live lag appends go to', standard: 1_000, quick: 300, min: 1 },
  'lag-rescore': { description: 'when not 0: a second live lag line while account_health re-scores the open rows of this many accounts, as after an LTV refit (no goal)', standard: 0, quick: 0, min: 0 },
  'as-of-events': { description: 'events of the one account read as of an instant', standard: 10_000, quick: 2_000, min: 100 },
  'as-of-requests': { description: 'as-of requests of each kind', standard: 50, quick: 10, min: 1 },
  'queue-concurrency': { description: 'worker concurrency of the queue throughput runs', standard: 16, quick: 16, min: 1 },
} as const satisfies Record<string, SizeFlag>;

export type SizeName = keyof typeof SIZE_FLAGS;
export type BenchSizes = Readonly<Record<SizeName, number>>;
