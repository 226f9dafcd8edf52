import { isNumber, SMALL_SAMPLE, SMALL_SAMPLE_TOLERANCE, type LineComparison, type Measure, type RunComparison, type StoredRun, type Verdict } from './bench-compare';
import { boundOf, formatRatio, type BenchRow } from './bench-table';
import { formatBuild } from './build-info';
import type { MachineInfo } from './machine-info';
import { formatCount, formatMs, formatUtcMinute, table } from './measure';

const formatMeasure = (name: Measure['name'], value: number, row: BenchRow) =>
  name === 'ratio' ? formatRatio(value, row.target) : `${name} ${formatMs(value, boundOf(row.target, name))}`;
const metMark = (row: BenchRow) => (row.met === undefined ? '' : row.met ? ' ✓' : ' ✗');

function side(line: LineComparison, which: 'then' | 'now'): string {
  const row = line[which];
  if (row === undefined) return '(not in that run)';
  if (line.measures.length === 0) return isNumber(row.ratio) ? `${formatRatio(row.ratio, row.target)}${metMark(row)}` : `–${metMark(row)}`;
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
  if (then.transparentHugePages !== undefined && now.transparentHugePages !== undefined && then.transparentHugePages !== now.transparentHugePages) {
    differences.push(`transparent huge pages ${then.transparentHugePages} then, ${now.transparentHugePages} now`);
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
