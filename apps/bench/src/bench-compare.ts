import { readFileSync } from 'node:fs';
import { boundOf, medianRunSpread, pairedRatios, runSpread, type BenchRow, type RatioSpread } from './bench-table';
import { formatBuild } from './build-info';
import type { MachineInfo } from './machine-info';
import { formatCount, formatMs, formatUtcMinute, p99Spread, table } from './measure';

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

type Verdict = 'worse' | 'better' | 'within noise';

/** One figure of a line in both runs: the ratio to its reference (higher is better) or a latency percentile (lower is better). */
interface Measure {
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

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

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
const SMALL_SAMPLE = 100;
const SMALL_SAMPLE_TOLERANCE = 0.3;

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

const formatMeasure = (name: Measure['name'], value: number, row: BenchRow) => (name === 'ratio' ? `${value.toFixed(2)} ×` : `${name} ${formatMs(value, boundOf(row.target, name))}`);
const metMark = (row: BenchRow) => (row.met === undefined ? '' : row.met ? ' ✓' : ' ✗');

function side(line: LineComparison, which: 'then' | 'now'): string {
  const row = line[which];
  if (row === undefined) return '(not in that run)';
  if (line.measures.length === 0) return isNumber(row.ratio) ? `${row.ratio.toFixed(2)} ×${metMark(row)}` : `–${metMark(row)}`;
  return `${line.measures.map((m) => formatMeasure(m.name, m[which], row)).join('; ')}${metMark(row)}`;
}

function change(line: LineComparison): string {
  if (line.measures.length === 0) return '–';
  return line.measures.map((m) => {
    const percent = m.then === 0 ? 0 : (100 * (m.now - m.then)) / Math.abs(m.then);
    return `${m.name} ${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(0)} %`;
  }).join('; ');
}

/**
 * A read line's offered rate, req/s: its `offeredRate`, or for a run written before that field
 * was, read back from its `latencyLoad` ("3861 req/s offered", "12.1k req/s offered"); null for
 * any other line.
 */
function offeredRate(row: BenchRow | undefined): number | null {
  if (row === undefined) return null;
  if (isNumber(row.offeredRate)) return row.offeredRate;
  const match = row.latencyLoad === undefined ? null : /^([\d.]+)(k?) req\/s offered/.exec(row.latencyLoad);
  return match ? Number(match[1]) * (match[2] === 'k' ? 1_000 : 1) : null;
}

/** An open loop's rate is half the run's own closed-loop highest, which moves between runs: said when it moved by a fifth or more. */
function loadNote(line: LineComparison): string {
  const [then, now] = [offeredRate(line.then), offeredRate(line.now)];
  if (then === null || now === null || Math.max(then, now) < 1.2 * Math.min(then, now)) return '';
  return `; latencies at ${formatCount(then)} req/s offered then, ${formatCount(now)} req/s offered now`;
}

function verdictCell(line: LineComparison): string {
  if (line.then === undefined) return 'new line';
  const unjudged = line.measures.find((m) => m.verdict === undefined);
  const verdict = line.verdict ?? (unjudged ? `not judged: its ${unjudged.name} was taken over runs in one run and pooled in the other` : 'no figure to compare');
  return `${line.goal === 'lost' || line.goal === 'reached' ? `${verdict}; goal ${line.goal}` : verdict}${loadNote(line)}`;
}

/** Differences between the two runs that make their figures less comparable, in words; empty when none is known. */
export function machineDifferences(then?: MachineInfo, now?: MachineInfo): string[] {
  if (then === undefined || now === undefined) return [];
  const differences: string[] = [];
  if (then.cpu !== now.cpu || then.cores !== now.cores) differences.push(`CPU ${then.cores} × ${then.cpu} then, ${now.cores} × ${now.cpu} now`);
  if (then.os !== now.os) differences.push(`${then.os} then, ${now.os} now`);
  const [before, after] = [then.firstTouch?.microsPerPage, now.firstTouch?.microsPerPage];
  if (before !== undefined && after !== undefined && Math.max(before, after) > 1.5 * Math.min(before, after)) {
    differences.push(`a fresh page of memory cost ${before.toFixed(1)} µs then, ${after.toFixed(1)} µs now`);
  }
  return differences;
}

/** A --quick run's figures are a smoke check (small sizes, one run): named when only one of the two is one. */
const isQuick = (command: string | undefined) => command !== undefined && /(^|\s)--quick(\s|$)/.test(command);

/** The comparison as text: a heading naming the earlier run, a table, and a count of what changed. */
export function formatComparison(comparison: RunComparison, then: StoredRun, file: string, current: { readonly machine?: MachineInfo; readonly command?: string } = {}): string {
  const now = current.machine;
  const builds = then.machine?.build !== undefined || now?.build !== undefined ? ` (build ${formatBuild(then.machine?.build)} then, ${formatBuild(now?.build)} now)` : '';
  const heading = `Against ${file}${then.command ? `: \`${then.command}\`` : ''}${then.at ? `, ${formatUtcMinute(then.at)}` : ''}${builds}`;
  const differences = machineDifferences(then.machine, now);
  const caution = differences.length === 0 ? [] : [`Not the same machine (${differences.join('; ')}): the ratios compare, the rates and latencies less so.`];
  if (comparison.matched === 0) caution.push('No line of this run is in the earlier one by name (their sizes, the store or the figures differ): nothing was compared.');
  if (isQuick(then.command) !== isQuick(current.command) && then.command !== undefined && current.command !== undefined) {
    caution.push(`${isQuick(then.command) ? 'The earlier' : 'This'} run is a --quick one (small sizes, one run each): a smoke check, not figures to hold the other to.`);
  }
  // A --suite run measures some lines only: the earlier run's others are named, not tabled.
  const gone = comparison.lines.filter((line) => line.now === undefined).map((line) => line.figure);
  const rows = comparison.lines.filter((line) => line.now !== undefined).map((line) => [line.figure, side(line, 'then'), side(line, 'now'), change(line), verdictCell(line)].map((text) => text.replace(/\|/g, '\\|')));
  const count = (verdict: Verdict) => comparison.lines.filter((line) => line.verdict === verdict).length;
  const goals = (goal: 'lost' | 'reached') => comparison.lines.filter((line) => line.goal === goal).map((line) => line.figure);
  const summary = `${count('worse')} worse, ${count('better')} better, ${count('within noise')} within noise: a figure counts as changed when the two runs' spreads `
    + `(min–max over each run's runs, a ratio's over its runs' own ratios where both files keep them, widened to ±${Math.round(comparison.tolerance * 100)} % of its median, latencies to ±1 ms at least and those of fewer than ${SMALL_SAMPLE} samples in one run to ±${SMALL_SAMPLE_TOLERANCE * 100} %) do not overlap.`
    + `${goals('lost').length > 0 ? ` Goals lost: ${goals('lost').join('; ')}.` : ''}${goals('reached').length > 0 ? ` Goals reached: ${goals('reached').join('; ')}.` : ''}`
    + `${gone.length > 0 ? ` Not measured in this run, only in the earlier one: ${gone.join('; ')}.` : ''}`;
  return [heading, ...caution, '', table(['figure', 'then', 'now', 'change', 'verdict'], rows), '', summary].join('\n');
}
