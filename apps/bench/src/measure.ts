import { performance } from 'node:perf_hooks';

export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Runs `work` `runs` times; each run answers how many units it did. Rates in units/s. */
export async function rate(runs: number, work: (run: number) => Promise<number>): Promise<Figure> {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const units = await work(run);
    rates.push(units / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]! };
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
