import type { Listed, ParkedRecord, ProjectionVerdict, ReplayVerifyReport, TableDiff } from './replay-report';
import { tableIdentical } from './replay-report';

/** Longest value printed; the JSON report (`--json`) has them whole. */
const VALUE_WIDTH = 80;

const number = (value: number) => value.toLocaleString('en');

/** The report as a person reads it: per projection, per table, what differs and where. */
export function formatReplayReport(report: ReplayVerifyReport): string {
  const lines: string[] = [];
  for (const projection of report.projections) lines.push(...projectionLines(projection));
  if (report.notCompared.length > 0) {
    lines.push('Not compared (values that depend on when the live process ran, not on the log):');
    for (const item of report.notCompared) lines.push(`  ${item.column === null ? `${item.table} (whole table)` : `${item.table}.${item.column}`}: ${item.reason}`);
  }
  const differing = report.projections.filter((projection) => !projection.identical).map((projection) => projection.name);
  lines.push(differing.length === 0
    ? `IDENTICAL: every projection matches a replay of the log (time-based values evaluated at ${report.comparedAt}).`
    : `DIFFERENT: ${differing.join(', ')} ${differing.length === 1 ? 'does' : 'do'} not match a replay of the log.`);
  return `${lines.join('\n')}\n`;
}

function projectionLines(projection: ProjectionVerdict): string[] {
  if (projection.unverifiable !== null) return [`${projection.name}: NOT VERIFIED, ${projection.unverifiable}`];
  const rate = Math.round(projection.eventsReplayed / Math.max(projection.replaySeconds, 0.001));
  const lines = [
    `${projection.name}: live generation ${projection.generation} at checkpoint ${projection.checkpoint}; replayed ${number(projection.eventsReplayed)} events ` +
      `in ${projection.replaySeconds.toFixed(1)} s (${number(rate)} events/s); ${number(projection.eventsPastCheckpoint)} later events not compared`,
  ];
  if (projection.rescored) lines.push(`  re-scored at one instant: ${number(projection.rescored.live)} live rows, ${number(projection.rescored.replay)} replayed rows`);
  for (const table of projection.tables) lines.push(...tableLines(table));
  const { parked } = projection;
  if (parked.inBoth.count + parked.onlyInLive.count + parked.onlyInReplay.count > 0) {
    lines.push(...parkedLines('parked by both (the same events; not a difference)', parked.inBoth));
    lines.push(...parkedLines('parked live only (the replay applied them)', parked.onlyInLive));
    lines.push(...parkedLines('parked by the replay only (live applied them)', parked.onlyInReplay));
  }
  return lines;
}

function tableLines(diff: TableDiff): string[] {
  if (tableIdentical(diff)) return [`  ${diff.table}: identical (${number(diff.liveRows)} rows)`];
  const total = diff.onlyInLive.count + diff.onlyInReplay.count + diff.differing.count;
  const lines = [`  ${diff.table}: ${number(total)} ${total === 1 ? 'difference' : 'differences'} (${number(diff.liveRows)} live rows, ${number(diff.replayRows)} replayed)`];
  const section = <T>(title: string, listed: Listed<T>, line: (item: T) => string) => {
    if (listed.count === 0) return;
    lines.push(`    ${title} (${number(listed.count)}):`);
    for (const item of listed.items) lines.push(`      ${line(item)}`);
    if (listed.count > listed.items.length) lines.push(`      … and ${number(listed.count - listed.items.length)} more`);
  };
  section('rows only in live', diff.onlyInLive, (item) => keyOf(item.key));
  section('rows only in the replay', diff.onlyInReplay, (item) => keyOf(item.key));
  section('rows that differ', diff.differing, (item) =>
    `${keyOf(item.key)}: ${item.columns.map((column) => `${column.column} live ${value(column.live)}, replay ${value(column.replay)}`).join('; ')}`);
  return lines;
}

function parkedLines(title: string, listed: Listed<ParkedRecord>): string[] {
  if (listed.count === 0) return [];
  const lines = [`  ${title} (${number(listed.count)}):`];
  for (const event of listed.items) lines.push(`    #${event.globalPosition} ${event.streamId}@${event.revision} ${event.type} ${event.eventId}: ${event.error}`);
  if (listed.count > listed.items.length) lines.push(`    … and ${number(listed.count - listed.items.length)} more`);
  return lines;
}

function keyOf(key: Readonly<Record<string, unknown>>): string {
  return Object.entries(key).map(([column, item]) => `${column}=${typeof item === 'string' ? item : JSON.stringify(item)}`).join(' ');
}

function value(item: unknown): string {
  const text = JSON.stringify(item) ?? 'null';
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}
