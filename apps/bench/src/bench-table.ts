import { formatCount, formatMs, formatP99Runs, p99Spread, ratioText, table, type Figure, type Latencies } from './measure';

/**
 * One line of the benchmark table (issue 9): a figure measured by this engine beside the
 * reference measured in the same run on the same data, as a ratio, and the goal it is held to.
 * Suites answer rows; `main.ts` prints them as one table.
 */
export interface BenchRow {
  /** Which line of the table, e.g. "store append, batches of 100 — PostgreSQL". */
  readonly figure: string;
  /** The engine's own figure: a rate (units/s, median/min/max over runs) and/or latencies. */
  readonly rate?: Figure;
  readonly unit?: string;
  readonly latency?: Latencies;
  /** The load the latencies were measured at, when not the rate's own: e.g. "1016 req/s offered" (an open loop). */
  readonly latencyLoad?: string;
  /** The open loop's offered rate, req/s, when `latencyLoad` is one: what `--compare` reads (runs written before e08e292 have only the text). */
  readonly offeredRate?: number;
  /** The reference measured in the same run, named, with its own rate/latency. */
  readonly reference?: { readonly name: string; readonly rate?: Figure; readonly latency?: Latencies; readonly latencyLoad?: string };
  /** figure ÷ reference (rates), when there is a reference. */
  readonly ratio?: number;
  /** The goal in words, e.g. "≥ 0.6 × COPY" or "p99 ≤ 25 ms" (goalOf(target)), and whether it was met. */
  readonly goal?: string;
  /** The same goal as numbers, for the chart (bench-chart.ts). */
  readonly target?: BenchTarget;
  readonly met?: boolean;
  /** Anything the reader needs beside the numbers (sizes, runs, caveats). */
  readonly note?: string;
}

/** What a line is held to: its ratio to the reference (at least), a latency (at most), or both. */
export interface BenchTarget {
  /** figure ÷ reference must be at least this. */
  readonly minRatio?: number;
  /** The reference's short name in the goal's words, e.g. "COPY" in "≥ 0.6 × COPY". */
  readonly of?: string;
  /** The latency at `stat` must be at most this many ms. */
  readonly maxMs?: number;
  /** Which latency `maxMs` bounds; default p99. */
  readonly stat?: 'p50' | 'p99';
}

/** A row's goal in words and as numbers, from one definition: `{ ...goalOf({ minRatio: 0.6, of: 'COPY' }), met }`. */
export function goalOf(target: BenchTarget): { readonly goal: string; readonly target: BenchTarget } {
  const parts = [
    target.minRatio === undefined ? undefined : `≥ ${Number.isInteger(target.minRatio) ? target.minRatio.toFixed(1) : target.minRatio} ×${target.of ? ` ${target.of}` : ''}`,
    target.maxMs === undefined ? undefined : `${target.stat === 'p50' ? 'median' : 'p99'} ≤ ${target.maxMs} ms`,
  ];
  return { goal: parts.filter((part) => part !== undefined).join(' and '), target };
}

/** Whether the figures reach the target (a suite adds its own conditions, such as no failed requests). */
export function reaches(target: BenchTarget, figures: { readonly ratio?: number; readonly latency?: Latencies }): boolean {
  const ratioOk = target.minRatio === undefined || (figures.ratio !== undefined && figures.ratio >= target.minRatio);
  const latency = figures.latency?.[target.stat ?? 'p99'];
  const latencyOk = target.maxMs === undefined || (latency !== undefined && latency <= target.maxMs);
  return ratioOk && latencyOk;
}

const HEADER = ['figure', 'value: median (min–max) or p50 / p99 (min–max)', 'reference in the same run', '× reference', 'goal', 'met'] as const;

const formatRateOf = (figure: Figure, unit = '/s') => `${formatCount(figure.median)} ${unit} (${formatCount(figure.min)}–${formatCount(figure.max)})`;
/** The p99's min–max over runs where the line was measured in several (medianLatencies): " (51–144 ms)". */
function formatP99Spread(latency: Latencies): string {
  const spread = p99Spread(latency);
  return spread === null ? '' : ` (${formatP99Runs([spread.low, spread.high], '–')})`;
}
/** The ms a goal holds `stat` to, if it holds that one (a figure shown beside it keeps the decimals a near miss needs). */
export const boundOf = (target: BenchTarget | undefined, stat: 'p50' | 'p99'): number | undefined =>
  target?.maxMs !== undefined && (target.stat ?? 'p99') === stat ? target.maxMs : undefined;
/** "0.42 ×"; against the goal's minimum, a ratio just short of it keeps the decimals that show it (ratioText). */
export const formatRatio = (ratio: number, target: BenchTarget | undefined): string => `${ratioText(ratio, target?.minRatio)} ×`;
const formatLatency = (latency: Latencies, load?: string, target?: BenchTarget) =>
  `p50 ${formatMs(latency.p50, boundOf(target, 'p50'))} / p99 ${formatMs(latency.p99, boundOf(target, 'p99'))}${formatP99Spread(latency)}${load ? ` at ${load}` : ''}`;

/** The lowest and highest of a line's ratios over its runs; null without both rates. */
export type RatioSpread = { readonly low: number; readonly high: number } | null;

/**
 * A line's ratio over its runs (the chart's whisker, --compare's spread): each run's figure over
 * the reference run measured in turn with it, where both kept their runs (pairedRatios), so that
 * the reference's own moves from run to run count; else medianRunSpread (files written before
 * eacf510 have no runs).
 */
export function runSpread(row: BenchRow): RatioSpread {
  const ratios = pairedRatios(row);
  return ratios.length > 0 ? { low: Math.min(...ratios), high: Math.max(...ratios) } : medianRunSpread(row);
}

/** The line's slowest and fastest runs over its reference's median: how a ratio was weighed before the runs were kept. */
export function medianRunSpread(row: BenchRow): RatioSpread {
  const reference = row.reference?.rate?.median;
  return row.rate && reference ? { low: row.rate.min / reference, high: row.rate.max / reference } : null;
}

/** Each run's figure over the same run's reference, when both kept their runs (Figure.runs), as many of each; else none. */
export function pairedRatios(row: BenchRow): number[] {
  const runs = row.rate?.runs;
  const references = row.reference?.rate?.runs;
  if (!Array.isArray(runs) || !Array.isArray(references) || runs.length === 0 || runs.length !== references.length) return [];
  // JSON writes a run that was NaN or infinite as null: such runs pair with nothing.
  if (![...runs, ...references].every((value) => typeof value === 'number' && Number.isFinite(value) && value > 0)) return [];
  return runs.map((value, index) => value / references[index]!);
}

/** A suite's line for a suite that failed or crashed (run-benchmarks.ts): it has no figure. */
export const isFailedRow = (row: BenchRow): boolean => / — (failed|crashed)$/.test(row.figure);

function valueOf(figures: { readonly rate?: Figure; readonly latency?: Latencies; readonly latencyLoad?: string; readonly target?: BenchTarget }, unit?: string): string {
  const parts = [figures.rate && formatRateOf(figures.rate, unit), figures.latency && formatLatency(figures.latency, figures.latencyLoad, figures.target)];
  return parts.filter((part) => part !== undefined).join('; ') || '–';
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The rows as one markdown table, then each row's note under it (notes would make the table unreadably wide). */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const lines = rows.map((row) => [
    row.figure,
    valueOf(row, row.unit),
    row.reference ? `${row.reference.name}: ${valueOf(row.reference, row.unit)}` : '–',
    row.ratio === undefined ? '–' : formatRatio(row.ratio, row.target),
    row.goal ?? '–',
    row.met === undefined ? '–' : row.met ? '✓' : '✗',
  ]);
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.figure}: ${row.note}`);
  return [table(HEADER, lines.map((line) => line.map(cell))), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
