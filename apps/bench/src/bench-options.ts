import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PGLITE_THREADINGS, type PgliteThreading } from '@ahe/database';
import { DEFAULT_COMPARE_TOLERANCE } from './bench-compare';
import type { EmbeddedChoice } from './store-target';

/**
 * The flags of `npm run bench` and `ahe bench`, in one place so both take the same ones. A size
 * flag left out takes its default, or its `--quick` value; one given explicitly always wins.
 */
interface SizeFlag {
  readonly description: string;
  readonly standard: number;
  readonly quick: number;
  readonly min: number;
  readonly max?: number;
}

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

export const SUITE_NAMES = ['import', 'append', 'http', 'projections', 'lag', 'reads', 'as-of', 'escalations'] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

export interface BenchOptions {
  readonly sizes: BenchSizes;
  /** The size flags given on the command line (the others took their default or quick value). */
  readonly explicit: ReadonlySet<SizeName>;
  readonly quick: boolean;
  /**
   * Every line but the escalations on PGlite instead of PostgreSQL (the suites marked
   * embeddable), on the thread `--embedded-thread` names (default its own); false: PostgreSQL.
   */
  readonly embedded: EmbeddedChoice;
  /** The projections suite also rebuilds each read model alone (a line each, no goal). */
  readonly perProjection: boolean;
  /** Every suite in this process rather than each in its own (suite-process.ts); for profiling a whole run. */
  readonly inProcess: boolean;
  readonly suites: readonly SuiteName[];
  readonly jsonFile?: string;
  /** Also draw the table as an SVG chart into this file (bench-chart.ts). */
  readonly chartFile?: string;
  /** Measure nothing: print and draw the table of an earlier run's --json file (needs --chart). */
  readonly fromJson?: string;
  /** An earlier run's --json file to compare this run (or --from-json's) with, line by line (bench-compare.ts). */
  readonly compare?: string;
  /** With compare: how far a median may move, as a fraction, before a figure counts as changed. */
  readonly compareTolerance: number;
  readonly help: boolean;
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

/** The flags parseBenchArgs takes (node:util's parseArgs). */
const BENCH_FLAGS = {
  quick: { type: 'boolean', default: false },
  embedded: { type: 'boolean', default: false },
  'embedded-thread': { type: 'string' },
  'per-projection': { type: 'boolean', default: false },
  'in-process': { type: 'boolean', default: false },
  'own-processes': { type: 'boolean', default: false },
  suite: { type: 'string' },
  json: { type: 'string' },
  chart: { type: 'string' },
  'from-json': { type: 'string' },
  compare: { type: 'string' },
  'compare-tolerance': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...Object.fromEntries(Object.keys(SIZE_FLAGS).map((name) => [name, { type: 'string' as const }])),
} satisfies ParseArgsConfig['options'];

/** Thrown for a bad flag: the message says which and why. */
export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: numberFlagValuesJoined(argv),
      strict: true,
      allowPositionals: false,
      options: BENCH_FLAGS,
    });
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const quick = values.quick === true;
  if (values['in-process'] === true && values['own-processes'] === true) throw new BenchUsageError('--in-process and --own-processes contradict each other: give one');
  const chart = values.chart as string | undefined;
  if (chart !== undefined && !chart.toLowerCase().endsWith('.svg')) throw new BenchUsageError(`--chart writes SVG: give a file name ending in .svg (got ${JSON.stringify(chart)})`);
  const fromJson = values['from-json'] as string | undefined;
  const compare = values.compare as string | undefined;
  if (fromJson !== undefined && chart === undefined && compare === undefined) {
    throw new BenchUsageError('--from-json prints an earlier run to draw or compare it: give --chart <file.svg> or --compare <file> too');
  }
  const compareTolerance = toleranceOf(values['compare-tolerance'] as string | undefined, compare);
  const thread = values['embedded-thread'] as string | undefined;
  if (thread !== undefined && values.embedded !== true) throw new BenchUsageError('--embedded-thread chooses where the embedded store runs: give --embedded too');
  if (thread !== undefined && !(PGLITE_THREADINGS as readonly string[]).includes(thread)) {
    throw new BenchUsageError(`--embedded-thread must be one of ${PGLITE_THREADINGS.join(', ')} (got ${JSON.stringify(thread)})`);
  }
  const sizes = Object.fromEntries(
    Object.entries(SIZE_FLAGS).map(([name, flag]) => [name, sizeOf(name, flag, values[name] as string | undefined, quick)]),
  ) as Record<SizeName, number>;
  return {
    sizes,
    explicit: new Set((Object.keys(SIZE_FLAGS) as SizeName[]).filter((name) => values[name] !== undefined)),
    quick,
    embedded: values.embedded === true ? ((thread as PgliteThreading | undefined) ?? 'worker') : false,
    perProjection: values['per-projection'] === true,
    // A quick run is a smoke check: its figures are not compared across runs, and nine Node
    // processes each loading the API's modules (about 1.6 s each here) would take a fifth of its minute.
    inProcess: values['in-process'] === true || (quick && values['own-processes'] !== true),
    suites: suitesOf(values.suite as string | undefined),
    ...(typeof values.json === 'string' ? { jsonFile: values.json } : {}),
    ...(chart !== undefined ? { chartFile: chart } : {}),
    ...(fromJson !== undefined ? { fromJson } : {}),
    ...(compare !== undefined ? { compare } : {}),
    compareTolerance,
    help: values.help === true,
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/** The flags whose value is a number: what follows one of them is its value, even when it starts with a dash. */
const NUMBER_FLAGS = new Set([...Object.keys(SIZE_FLAGS), 'compare-tolerance'].map((name) => `--${name}`));

/** The short flags (`-h`): after a numeric flag, still flags. */
const SHORT_FLAGS = new Set(Object.values(BENCH_FLAGS).flatMap((flag) => ('short' in flag ? [`-${flag.short}`] : [])));

/**
 * `--read-rate -1` as `--read-rate=-1`, and so any value after a numeric flag that starts with
 * one dash (`-1`, `-.5`, `-Infinity`, `-e5`) but a short flag. Node's parser takes such a value
 * for a flag of its own and answers "argument is ambiguous", naming no range; joined, the value
 * reaches the flag's own check, which says what the flag takes (sizeOf, toleranceOf).
 */
function numberFlagValuesJoined(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    if (NUMBER_FLAGS.has(arg) && next !== undefined && /^-(?!-)/.test(next) && !SHORT_FLAGS.has(next)) {
      args.push(`${arg}=${next}`);
      index += 1;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function sizeOf(name: string, flag: SizeFlag, given: string | undefined, quick: boolean): number {
  if (given === undefined) return quick ? flag.quick : flag.standard;
  const value = Number(given);
  if (!Number.isSafeInteger(value) || value < flag.min || (flag.max !== undefined && value > flag.max)) {
    const range = flag.max === undefined ? `≥ ${flag.min}` : `from ${flag.min} to ${flag.max}`;
    throw new BenchUsageError(`--${name} must be an integer ${range} (got ${JSON.stringify(given)})`);
  }
  return value;
}

function toleranceOf(given: string | undefined, compare: string | undefined): number {
  if (given === undefined) return DEFAULT_COMPARE_TOLERANCE;
  if (compare === undefined) throw new BenchUsageError('--compare-tolerance applies to a comparison: give --compare <file> too');
  const percent = Number(given);
  if (given.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new BenchUsageError(`--compare-tolerance is a percentage from 0 to 100 (got ${JSON.stringify(given)})`);
  }
  return percent / 100;
}

function suitesOf(list: string | undefined): SuiteName[] {
  if (list === undefined || list === 'all') return [...SUITE_NAMES];
  const names = list.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(SUITE_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new BenchUsageError(`--suite takes one or more of ${SUITE_NAMES.join(', ')} (comma-separated) or all; unknown: ${unknown.join(', ') || '(none given)'}`);
  }
  return SUITE_NAMES.filter((name) => names.includes(name));
}

export function benchUsage(): string {
  const sizes = Object.entries(SIZE_FLAGS).map(([name, flag]) => `  --${`${name} <n>`.padEnd(24)} ${flag.description} (default ${flag.standard}, quick ${flag.quick})`);
  return [
    'Usage: npm run bench -- [flags]   or   ahe bench [flags]',
    '',
    'Prints one markdown table: every figure beside a reference measured in the same run, its goal, met or not.',
    '',
    '  --quick                    small sizes, one run, every suite in this one process: the whole table in under a minute (a smoke check)',
    '  --embedded                 on the embedded store (PGlite, as npm start runs by default) instead of PostgreSQL: every line but the',
    '                             escalations (on BullMQ and Redis, as in server mode), their references and the read data set included',
    '  --embedded-thread <t>      with --embedded: where PGlite runs, worker (a thread of its own, the default, as EMBEDDED_DB_THREAD)',
    '                             or main (the thread of the API and the projections)',
    '  --per-projection           the projections suite also rebuilds each read model alone, a line each (no goal): which one costs what',
    `  --suite <names>            a subset, comma-separated: ${SUITE_NAMES.join(', ')} (default all)`,
    '  --in-process               every suite in this one process (by default each runs in a Node process of its own, so none inherits',
    '                             another\'s heap or JIT feedback); for a --cpu-prof of a whole run',
    '  --own-processes            each suite in a Node process of its own even with --quick',
    '  --json <file>              also write the rows, machine and settings as JSON',
    '  --chart <file.svg>         also draw the table as a chart: each line against its reference and its goal (SVG)',
    '  --from-json <file>         measure nothing: print the table of an earlier run\'s --json file, to draw it (--chart) or compare it',
    '  --compare <file>           after the table, each line against the same line of an earlier run\'s --json file: then, now, the',
    '                             change, and worse / better / within noise (the two runs\' min–max spreads do not overlap / overlap)',
    `  --compare-tolerance <%>    with --compare: the least spread a figure is given around its median (default ${DEFAULT_COMPARE_TOLERANCE * 100})`,
    ...sizes,
    '',
    'Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), REDIS_URL (default redis://127.0.0.1:6379).',
    'One run at a time against a database: a second is refused, naming the first. A run removes what runs stopped before their',
    'clean-up left (their schemas, BullMQ keys and temporary folders); the shared data sets are kept.',
    'Exit codes: 0 every suite ran, 1 a suite failed (its row says why), 2 bad flags or an output file that cannot be written,',
    '3 another run is measuring against the database, 4 every suite ran but a line is worse than in the --compare run.',
  ].join('\n');
}
