import { readFileSync } from 'node:fs';
import { medianRunSpread, pairedRatios, runSpread, type BenchRow, type RatioSpread } from './bench-table';
import type { MachineInfo } from './machine-info';
import { p99Spread } from './measure';

/** What `--json` wrote: the rows and how they were measured. */
export interface StoredRun {
  readonly command?: string;
  /** When the run ended; runs written before it was recorded have none. */
  readonly at?: string;
  readonly machine?: MachineInfo;
  readonly rows: readonly BenchRow[];
}

/** An earlier run's `--json` file, or why it is not one (a message naming `flag`). */
export function readStoredRun(file: string, flag: string): StoredRun | string {
  let run: StoredRun;
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as StoredRun;
  } catch (error) {
    return `${flag}: cannot read ${file} as JSON: ${(error as Error).message}`;
  }
  if (typeof run !== 'object' || run === null || !Array.isArray(run.rows) || !run.rows.every((row) => typeof row?.figure === 'string')) {
    return `${flag}: ${file} is not a run written by --json (it needs a "rows" array of lines, each with a "figure")`;
  }
  return run;
}

/** How much a figure's median may move before two runs' spreads are taken to differ: `--compare-tolerance`, as a fraction. */
export const DEFAULT_COMPARE_TOLERANCE = 0.1;

export type Verdict = 'worse' | 'better' | 'within noise';

/** One figure of a line in both runs: the ratio to its reference (higher is better) or a latency percentile (lower is better). */
export interface Measure {
  readonly name: 'ratio' | 'p50' | 'p99';
  readonly then: number;
  readonly now: number;
  /** Absent when the two runs took the figure differently (a p99 over runs against one pooled run): shown, not judged. */
  readonly verdict?: Verdict;
}

export interface LineComparison {
  readonly figure: string;
  readonly then?: BenchRow;
  readonly now?: BenchRow;
  readonly measures: readonly Measure[];
  /** Absent when a run lacks the line or neither has a figure to compare (a failed suite). */
  readonly verdict?: Verdict;
  readonly goal?: 'kept' | 'lost' | 'reached' | 'still missed';
}

export interface RunComparison {
  readonly lines: readonly LineComparison[];
  readonly worse: number;
  /** Lines found in both runs by name; 0 when sizes, the store or the names differ throughout. */
  readonly matched: number;
  readonly tolerance: number;
}

/** A measure's value in one run with the range it took over that run's runs, widened to at least ±tolerance (and ±1 ms for a latency). */
interface Spread {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

function widened(value: number, low: number, high: number, tolerance: number, floor = 0): Spread {
  const margin = Math.max(Math.abs(value) * tolerance, floor);
  return { value, low: Math.min(low, value - margin), high: Math.max(high, value + margin) };
}

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The ratio's spread over its runs (`spreadOf`), widened to the tolerance. */
function ratioSpread(row: BenchRow, tolerance: number, spreadOf: (row: BenchRow) => RatioSpread): Spread | undefined {
  if (!isNumber(row.ratio)) return undefined;
  const runs = spreadOf(row);
  return widened(row.ratio, isNumber(runs?.low) ? runs.low : row.ratio, isNumber(runs?.high) ? runs.high : row.ratio, tolerance);
}

/**
 * Fewer samples than this, taken in one run (the as-of line's 50 sequential requests, the median
 * of three fresh processes), and no runs to spread them: the percentile moves by a third or more between runs
 * of the same build, so it is given ±SMALL_SAMPLE_TOLERANCE at least.
 */
export const SMALL_SAMPLE = 100;
export const SMALL_SAMPLE_TOLERANCE = 0.3;

/** The percentile a line's goal names (p99 unless it says p50), over the runs' own p99s when the row has them. */
function latencySpread(row: BenchRow, stat: 'p50' | 'p99', tolerance: number): Spread | undefined {
  const value = row.latency?.[stat];
  if (!isNumber(value)) return undefined;
  const runs = stat === 'p99' ? p99Spread(row.latency) : null;
  if (runs !== null) return widened(value, runs.low, runs.high, tolerance, 1);
  const few = (row.latency?.count ?? 0) < SMALL_SAMPLE;
  return widened(value, value, value, few ? Math.max(tolerance, SMALL_SAMPLE_TOLERANCE) : tolerance, 1);
}

function verdictOf(then: Spread, now: Spread, higherIsBetter: boolean): Verdict {
  if (now.high < then.low) return higherIsBetter ? 'worse' : 'better';
  if (now.low > then.high) return higherIsBetter ? 'better' : 'worse';
  return 'within noise';
}

function measuresOf(then: BenchRow, now: BenchRow, tolerance: number): Measure[] {
  const measures: Measure[] = [];
  // Paired runs only when both files keep them, so that the two sides are weighed alike against an older file.
  const spreadOf = pairedRatios(then).length > 0 && pairedRatios(now).length > 0 ? runSpread : medianRunSpread;
  const ratios = [ratioSpread(then, tolerance, spreadOf), ratioSpread(now, tolerance, spreadOf)] as const;
  if (ratios[0] && ratios[1]) measures.push({ name: 'ratio', then: ratios[0].value, now: ratios[1].value, verdict: verdictOf(ratios[0], ratios[1], true) });
  const stat = now.target?.stat ?? then.target?.stat ?? 'p99';
  const latencies = [latencySpread(then, stat, tolerance), latencySpread(now, stat, tolerance)] as const;
  // Lines whose p99 became a median over runs (the live lag, the escalations, 2026-12-05) against a pooled run of before.
  const sameMethod = stat !== 'p99' || (p99Spread(then.latency) === null) === (p99Spread(now.latency) === null);
  if (latencies[0] && latencies[1]) {
    measures.push({ name: stat, then: latencies[0].value, now: latencies[1].value, ...(sameMethod ? { verdict: verdictOf(latencies[0], latencies[1], false) } : {}) });
  }
  return measures;
}

function goalChange(then: BenchRow, now: BenchRow): LineComparison['goal'] {
  if (then.met === undefined || now.met === undefined || then.goal === undefined || now.goal === undefined) return undefined;
  if (then.met) return now.met ? 'kept' : 'lost';
  return now.met ? 'reached' : 'still missed';
}

const ON_POSTGRES = ' — PostgreSQL';

/**
 * The name a PostgreSQL line had in runs from before its suite could also run on the embedded
 * store (the reads, as-of and rebuild lines until 2026-12-05), when it named no store.
 */
const earlierName = (figure: string): string => (figure.endsWith(ON_POSTGRES) ? figure.slice(0, -ON_POSTGRES.length) : figure);

/**
 * Each line of `now` against the line of the same name in `then` (a PostgreSQL line also against
 * one of its name before it named its store). A figure counts as changed only
 * when the two runs' spreads (min–max over each run's runs, a ratio's over the runs' own ratios
 * where both files keep them, each widened to ±tolerance of its median) do not overlap: a figure
 * measured on a shared machine moves by a tenth between runs of the same code, and a ratio to a
 * reference measured in the same run is what stays comparable.
 */
export function compareRuns(then: StoredRun, now: readonly BenchRow[], tolerance = DEFAULT_COMPARE_TOLERANCE): RunComparison {
  const earlier = new Map(then.rows.map((row) => [row.figure, row]));
  const lines: LineComparison[] = now.map((row) => {
    const name = earlier.has(row.figure) ? row.figure : earlierName(row.figure);
    const before = earlier.get(name);
    earlier.delete(name);
    if (before === undefined) return { figure: row.figure, now: row, measures: [] };
    const measures = measuresOf(before, row, tolerance);
    const judged = measures.filter((m) => m.verdict !== undefined);
    const verdict = judged.length === 0 ? undefined : judged.some((m) => m.verdict === 'worse') ? 'worse' : judged.some((m) => m.verdict === 'better') ? 'better' : 'within noise';
    const goal = goalChange(before, row);
    return { figure: row.figure, then: before, now: row, measures, ...(verdict ? { verdict } : {}), ...(goal ? { goal } : {}) };
  });
  for (const row of earlier.values()) lines.push({ figure: row.figure, then: row, measures: [] });
  return { lines, worse: lines.filter((line) => line.verdict === 'worse').length, matched: lines.filter((line) => line.then && line.now).length, tolerance };
}
