import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PGLITE_THREADINGS, type PgliteThreading } from '@ahe/database';
import { DEFAULT_COMPARE_TOLERANCE } from './bench-compare';
import { SIZE_FLAGS, type BenchSizes, type SizeFlag, type SizeName } from './bench-size-flags';
import type { EmbeddedChoice } from './store-target';

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
