import { writeFileSync } from 'node:fs';
import { benchChartSvg } from './bench-chart';
import { compareRuns, readStoredRun, type StoredRun } from './bench-compare';
import { formatComparison } from './bench-compare-format';
import { formatBenchTable, isFailedRow, type BenchRow } from './bench-table';
import { chartSubtitle, type MachineInfo } from './machine-info';
import { formatUtcMinute } from './measure';

const CHART_TITLE = 'Account Health Engine benchmarks';

/** `--chart FILE.svg`: the rows drawn, under the command and when and where it ran. */
export function writeBenchChart(file: string, rows: readonly BenchRow[], run: { readonly command: string; readonly at: string | undefined; readonly machine: MachineInfo | undefined }): void {
  writeFileSync(file, benchChartSvg(rows, { title: CHART_TITLE, subtitle: chartSubtitle(run.command, run.at, run.machine) }));
}

/** `--compare`: the earlier run read before anything was measured. */
export interface Comparing {
  readonly run: StoredRun;
  readonly file: string;
  readonly tolerance: number;
}

/** The comparison printed after a table; true when a line is worse than in the earlier run. */
export function printComparison(rows: readonly BenchRow[], comparing: Comparing, current: { readonly machine?: MachineInfo; readonly command?: string }): boolean {
  const comparison = compareRuns(comparing.run, rows, comparing.tolerance);
  process.stdout.write(`\n${formatComparison(comparison, comparing.run, comparing.file, current)}\n`);
  return comparison.worse > 0;
}

/**
 * `--from-json FILE`: an earlier run's table printed again, drawn (`--chart`) and/or compared
 * (`--compare`), measuring nothing; 2 when the file is not such a run. Compared, it exits as the
 * run would have: 1 when a suite of it had failed, else 4 when a line is worse.
 */
export function printEarlierRun(file: string, chartFile: string | undefined, comparing: Comparing | undefined): number {
  const run = readStoredRun(file, '--from-json');
  if (typeof run === 'string') {
    process.stderr.write(`${run}\n`);
    return 2;
  }
  process.stdout.write(`From ${file}${run.command ? `: \`${run.command}\`` : ''}${run.at ? `, ${formatUtcMinute(run.at)}` : ''}\n\n${formatBenchTable(run.rows)}\n`);
  if (chartFile !== undefined) {
    writeBenchChart(chartFile, run.rows, { command: run.command ?? file, at: run.at, machine: run.machine });
    process.stderr.write(`drew ${run.rows.length} rows into ${chartFile}\n`);
  }
  if (comparing === undefined) return 0;
  const worse = printComparison(run.rows, comparing, { ...(run.machine ? { machine: run.machine } : {}), ...(run.command ? { command: run.command } : {}) });
  return run.rows.some(isFailedRow) ? 1 : worse ? 4 : 0;
}
