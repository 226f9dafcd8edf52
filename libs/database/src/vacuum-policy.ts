import type { SqlQueryable } from './sql-client';

/**
 * Autovacuum's own rules (PostgreSQL's documentation, "The Autovacuum Daemon"), read from the
 * database's settings, for a database where no autovacuum launcher runs: PGlite's single-user
 * PostgreSQL reads `autovacuum = on` and never acts on it.
 */
export interface VacuumThresholds {
  readonly vacuumBase: number;
  readonly vacuumScale: number;
  /** PostgreSQL 18 caps the dead-row threshold of big tables; Infinity where the setting does not exist. */
  readonly vacuumMax: number;
  readonly insertBase: number;
  readonly insertScale: number;
  readonly analyzeBase: number;
  readonly analyzeScale: number;
  /** A table whose oldest unfrozen transaction id is older than this is frozen first. */
  readonly freezeMaxAge: number;
}

/** What the catalog and the statistics say of one table. */
export interface TableUpkeepState {
  /** Schema-qualified and quoted, ready for a statement. */
  readonly target: string;
  /** Age of the table's (or its TOAST table's) oldest unfrozen transaction id. */
  readonly xidAge: number;
  readonly liveRowsEstimate: number;
  readonly deadRows: number;
  readonly insertsSinceVacuum: number;
  readonly changesSinceAnalyze: number;
}

/** Why a table is maintained, in the order a step chooses: wraparound first, statistics last. */
export const VACUUM_REASONS = ['wraparound', 'dead rows', 'inserts', 'statistics'] as const;
export type VacuumReason = (typeof VACUUM_REASONS)[number];

export interface VacuumChoice {
  readonly target: string;
  readonly reason: VacuumReason;
  readonly statement: string;
}

const SETTINGS: Record<Exclude<keyof VacuumThresholds, 'vacuumMax'>, string> = {
  vacuumBase: 'autovacuum_vacuum_threshold',
  vacuumScale: 'autovacuum_vacuum_scale_factor',
  insertBase: 'autovacuum_vacuum_insert_threshold',
  insertScale: 'autovacuum_vacuum_insert_scale_factor',
  analyzeBase: 'autovacuum_analyze_threshold',
  analyzeScale: 'autovacuum_analyze_scale_factor',
  freezeMaxAge: 'autovacuum_freeze_max_age',
};

export async function readVacuumThresholds(sql: SqlQueryable): Promise<VacuumThresholds> {
  const { rows } = await sql.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])`,
    [[...Object.values(SETTINGS), 'autovacuum_vacuum_max_threshold']],
  );
  const setting = (name: string) => {
    const row = rows.find((candidate) => candidate.name === name);
    if (!row) throw new Error(`PostgreSQL has no setting ${name}`);
    return Number(row.setting);
  };
  const max = rows.find((row) => row.name === 'autovacuum_vacuum_max_threshold');
  const thresholds = Object.fromEntries(Object.entries(SETTINGS).map(([key, name]) => [key, setting(name)]));
  // -1 turns PostgreSQL 18's cap off.
  const vacuumMax = max && Number(max.setting) >= 0 ? Number(max.setting) : Infinity;
  return { ...(thresholds as Omit<VacuumThresholds, 'vacuumMax'>), vacuumMax };
}

/** Why `table` needs work now, if it does: the first reason that applies, in `VACUUM_REASONS` order. */
export function reasonFor(table: TableUpkeepState, limits: VacuumThresholds): VacuumReason | undefined {
  const rows = Math.max(table.liveRowsEstimate, 0);
  if (table.xidAge > limits.freezeMaxAge) return 'wraparound';
  if (table.deadRows > Math.min(limits.vacuumBase + limits.vacuumScale * rows, limits.vacuumMax)) return 'dead rows';
  if (table.insertsSinceVacuum > limits.insertBase + limits.insertScale * rows) return 'inserts';
  if (table.changesSinceAnalyze > limits.analyzeBase + limits.analyzeScale * rows) return 'statistics';
  return undefined;
}

/**
 * The one table a step maintains: the most urgent reason first; within a reason the oldest
 * transaction ids, or else the most rows waiting. One table a step, because on the embedded
 * store every other statement waits while it runs.
 */
export function chooseVacuum(tables: readonly TableUpkeepState[], limits: VacuumThresholds): VacuumChoice | undefined {
  const due = tables.flatMap((table) => {
    const reason = reasonFor(table, limits);
    return reason ? [{ table, reason, rank: VACUUM_REASONS.indexOf(reason), weight: weightOf(table, reason) }] : [];
  });
  due.sort((a, b) => a.rank - b.rank || b.weight - a.weight);
  const first = due[0];
  if (!first) return undefined;
  const { table, reason } = first;
  // VACUUM and ANALYZE go in steps of their own, so that the connection is free again between the two (ANALYZE reads a sample spread over the whole table).
  const statement =
    reason === 'wraparound' ? `VACUUM (FREEZE) ${table.target}` : reason === 'statistics' ? `ANALYZE ${table.target}` : `VACUUM ${table.target}`;
  return { target: table.target, reason, statement };
}

function weightOf(table: TableUpkeepState, reason: VacuumReason): number {
  if (reason === 'wraparound') return table.xidAge;
  if (reason === 'dead rows') return table.deadRows;
  if (reason === 'inserts') return table.insertsSinceVacuum;
  return table.changesSinceAnalyze;
}
