import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /**
   * Each run's figure in the order measured (figureOf). A line and its reference measured in turn
   * pair up run by run, so the chart's whisker and `--compare` weigh a ratio over the runs' own
   * ratios (runSpread); files written before eacf510 have none.
   */
  readonly runs?: readonly number[];
}

/** Runs `work` `runs` times; each run answers how many units it did. Rates in units/s. */
export async function rate(runs: number, work: (run: number) => Promise<number>): Promise<Figure> {
  return rateAfter(runs, async () => undefined, (_, run) => work(run));
}

/**
 * As rate, with `prepare` run before each run's `work` and left out of its time (a reference
 * measured in turn with the work, a wait for the system to settle); what it answers is handed
 * to that run's `work`.
 */
export async function rateAfter<T>(runs: number, prepare: (run: number) => Promise<T>, work: (prepared: T, run: number) => Promise<number>): Promise<Figure> {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const prepared = await prepare(run);
    const started = performance.now();
    const units = await work(prepared, run);
    rates.push(units / ((performance.now() - started) / 1000));
  }
  return figureOf(rates);
}

export function formatRate(figure: Figure): string {
  const k = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0));
  return `${k(figure.median)}/s (${k(figure.min)}–${k(figure.max)})`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Median, min and max of figures measured one by one (when only part of each run is timed), and the runs in their order. */
export function figureOf(values: readonly number[]): Figure {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: [...values] };
}

export interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Each run's own p99, when the figures are medians over runs (medianLatencies): the spread `--compare` weighs. */
  readonly p99Runs?: readonly number[];
}

/** Nearest-rank percentiles: p99 of 100 samples is the 99th smallest, a value that was measured. */
export function latencies(values: readonly number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Median p50 and p99 over runs, the worst max, the total count, and each run's p99. */
export function medianLatencies(results: readonly { readonly latency: Latencies }[]): Latencies {
  return {
    count: results.reduce((sum, result) => sum + result.latency.count, 0),
    p50: figureOf(results.map((result) => result.latency.p50)).median,
    p99: figureOf(results.map((result) => result.latency.p99)).median,
    max: Math.max(...results.map((result) => result.latency.max)),
    p99Runs: results.map((result) => result.latency.p99),
  };
}

/**
 * A latency line measured as one steady load (the live lag, the escalations): its samples in the
 * order they were taken, cut into `runs` consecutive windows of about as many each, as a JMH fork
 * runs its measurement iterations one after another; each window's percentiles, then their
 * median (medianLatencies), so the line has a spread over runs as the others do.
 */
export function windowedLatencies(samples: readonly number[], runs: number): Latencies {
  if (samples.length === 0) return latencies(samples);
  const windows = Math.max(1, Math.min(Math.floor(runs), samples.length));
  const size = samples.length / windows;
  return medianLatencies(Array.from({ length: windows }, (_, window) => ({ latency: latencies(samples.slice(Math.round(window * size), Math.round((window + 1) * size))) })));
}

/** The lowest and highest p99 of a line's runs (medianLatencies), null unless it has two or more measured. */
export function p99Spread(latency: Latencies | undefined): { readonly low: number; readonly high: number } | null {
  const runs = (latency?.p99Runs ?? []).filter((ms) => typeof ms === 'number' && Number.isFinite(ms));
  return runs.length < 2 ? null : { low: Math.min(...runs), high: Math.max(...runs) };
}

/** "144 / 71 / 51 ms" (or "144 ms / 12.5 s"): each run's p99, for a line's note; `separator` "–" makes a range. */
export const formatP99Runs = (p99Runs: readonly number[], separator = ' / '): string =>
  p99Runs.every((ms) => ms < 10_000) ? `${p99Runs.map((ms) => ms.toFixed(0)).join(separator)} ms` : p99Runs.map((ms) => formatMs(ms)).join(separator);

/**
 * How a line cut into windows (windowedLatencies) took its p99, for its note: "median of 3 runs:
 * consecutive windows of the appends in log order (p99 per run 144 / 71 / 51 ms)"; empty for one window.
 */
export const windowsNote = (latency: Latencies, windows: string): string =>
  (latency.p99Runs?.length ?? 0) > 1 ? `median of ${latency.p99Runs!.length} runs: consecutive windows of ${windows} (p99 per run ${formatP99Runs(latency.p99Runs!)})` : '';

/** An ISO instant to the minute, as the table and the chart print when a run was made: "2026-12-01 22:45 UTC". */
export const formatUtcMinute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * `ms` to `digits` decimals, or to as many more (up to 3) as it takes to show that it misses
 * `bound`: 10.48 against "p99 ≤ 10 ms" reads "10.5", where a "10" beside ✗ reads as a mistake.
 */
export function msText(ms: number, digits: number, bound?: number): string {
  let text = ms.toFixed(digits);
  while (bound !== undefined && ms > bound && Number(text) <= bound && digits < 3) text = ms.toFixed(++digits);
  return text;
}

/**
 * `ratio` to 2 decimals, or to as many more (up to 4) as it takes to show that it falls short of
 * `minimum`: 0.3953 against "≥ 0.4 ×" reads "0.395", where a "0.40" beside ✗ reads as a mistake.
 * Closer still, it is cut rather than rounded at 4 (0.39996 reads "0.3999").
 */
export function ratioText(ratio: number, minimum?: number): string {
  const hidesShortfall = (text: string) => minimum !== undefined && ratio < minimum && Number(text) >= minimum;
  let digits = 2;
  let text = ratio.toFixed(digits);
  while (hidesShortfall(text) && digits < 4) text = ratio.toFixed(++digits);
  return hidesShortfall(text) ? (Math.floor(ratio * 10 ** digits) / 10 ** digits).toFixed(digits) : text;
}

/** "12 ms", "12.5 s"; with `bound` (the goal's ms), a figure just over it keeps the decimals that show it (msText). */
export const formatMs = (ms: number, bound?: number): string =>
  Number.isNaN(ms) ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${msText(ms, 0, bound)} ms`;

/**
 * Several variants measured in turns within each run (a, b, c, a, b, c, …), so a noisy moment
 * on a shared machine hits them alike. Each work answers the units it did; rates in units/s.
 * A work may answer `{ units, ms }` to time only part of what it does.
 */
export async function interleavedRates<Name extends string>(
  runs: number,
  variants: Readonly<Record<Name, (run: number) => Promise<number | { units: number; ms: number }>>>,
  onRun?: (name: Name, run: number) => void,
): Promise<Record<Name, Figure>> {
  const names = Object.keys(variants) as Name[];
  const rates = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (let run = 0; run < runs; run++) {
    for (const name of names) {
      onRun?.(name, run);
      const started = performance.now();
      const done = await variants[name](run);
      const { units, ms } = typeof done === 'number' ? { units: done, ms: performance.now() - started } : done;
      rates.get(name)!.push(units / (ms / 1000));
    }
  }
  return Object.fromEntries(names.map((name) => [name, figureOf(rates.get(name)!)])) as Record<Name, Figure>;
}

/** 9447 → "9447", 39412 → "39.4k". */
export const formatCount = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0));

/** Sampling interval of watchEventLoop, in ms. */
const LOOP_SAMPLE_MS = 10;

/**
 * Watches how late this thread's event loop runs until `stop()`: a stall of the process's own (a
 * long synchronous task, a collection), in ms. The histogram holds the time between samples, so
 * the lateness is what exceeds the sampling interval.
 */
export function watchEventLoop(): { stop(): Latencies } {
  const delay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  delay.enable();
  return {
    stop: () => {
      delay.disable();
      const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
      return { count: delay.count, p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max) };
    },
  };
}
