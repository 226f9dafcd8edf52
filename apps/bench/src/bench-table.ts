import { formatCount, formatMs, table, type Figure, type Latencies } from './measure';

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
  /** The reference measured in the same run, named, with its own rate/latency. */
  readonly reference?: { readonly name: string; readonly rate?: Figure; readonly latency?: Latencies; readonly latencyLoad?: string };
  /** figure ÷ reference (rates), when there is a reference. */
  readonly ratio?: number;
  /** The goal in words, e.g. "≥ 0.6 × COPY" or "p99 ≤ 25 ms", and whether it was met. */
  readonly goal?: string;
  readonly met?: boolean;
  /** Anything the reader needs beside the numbers (sizes, runs, caveats). */
  readonly note?: string;
}

const HEADER = ['figure', 'value: median (min–max) or p50 / p99', 'reference in the same run', '× reference', 'goal', 'met'] as const;

const formatRateOf = (figure: Figure, unit = '/s') => `${formatCount(figure.median)} ${unit} (${formatCount(figure.min)}–${formatCount(figure.max)})`;
const formatLatency = (latency: Latencies, load?: string) => `p50 ${formatMs(latency.p50)} / p99 ${formatMs(latency.p99)}${load ? ` at ${load}` : ''}`;

function valueOf(figures: { readonly rate?: Figure; readonly latency?: Latencies; readonly latencyLoad?: string }, unit?: string): string {
  const parts = [figures.rate && formatRateOf(figures.rate, unit), figures.latency && formatLatency(figures.latency, figures.latencyLoad)];
  return parts.filter((part) => part !== undefined).join('; ') || '–';
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The rows as one markdown table, then each row's note under it (notes would make the table unreadably wide). */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const lines = rows.map((row) => [
    row.figure,
    valueOf(row, row.unit),
    row.reference ? `${row.reference.name}: ${valueOf(row.reference, row.unit)}` : '–',
    row.ratio === undefined ? '–' : `${row.ratio.toFixed(2)} ×`,
    row.goal ?? '–',
    row.met === undefined ? '–' : row.met ? '✓' : '✗',
  ]);
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.figure}: ${row.note}`);
  return [table(HEADER, lines.map((line) => line.map(cell))), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
