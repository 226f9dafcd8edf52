// Autovacuum's own rules (PostgreSQL 18's `relation_needs_vacanalyze`), with the database's
// settings, for a database where no autovacuum launcher runs: PGlite's single-user PostgreSQL
// reads `autovacuum = on` and never acts on it.

import type { SqlQueryable } from './sql-client';

/** Autovacuum's settings that decide when a table is due. */
export interface VacuumThresholds {
  readonly vacuumBase: number;
  readonly vacuumScale: number;
  /** Caps the dead-row threshold of big tables; Infinity when the setting is -1. */
  readonly vacuumMax: number;
  /** -1 turns the insert rule off. */
  readonly insertBase: number;
  readonly insertScale: number;
  readonly analyzeBase: number;
  readonly analyzeScale: number;
  /** A table whose oldest unfrozen transaction id is older than this is frozen first. */
  readonly freezeMaxAge: number;
  /** The same for multixact ids (row locks shared by several transactions). */
  readonly multixactFreezeMaxAge: number;
}

/** What the catalog and the statistics say of one table. */
export interface TableUpkeepState {
  /** Schema-qualified and quoted, ready for a statement. */
  readonly target: string;
  /** Age of the table's (or its TOAST table's) oldest unfrozen transaction id. */
  readonly xidAge: number;
  readonly multixactAge: number;
  /** -1 until the table is first vacuumed or analyzed. */
  readonly liveRowsEstimate: number;
  readonly pages: number;
  readonly allFrozenPages: number;
  readonly deadRows: number;
  readonly insertsSinceVacuum: number;
  readonly changesSinceAnalyze: number;
  /** false for pg_statistic, which ANALYZE skips: its changes would never be counted as analyzed. */
  readonly analyzable: boolean;
}

/** Why a table is maintained, most urgent first. */
export const VACUUM_REASONS = ['wraparound', 'dead_rows', 'inserts', 'statistics'] as const;
export type VacuumReason = (typeof VACUUM_REASONS)[number];

export interface VacuumChoice {
  readonly target: string;
  readonly reason: VacuumReason;
  readonly statement: string;
}

const AUTOVACUUM_SETTINGS: Record<keyof VacuumThresholds, string> = {
  vacuumBase: 'autovacuum_vacuum_threshold',
  vacuumScale: 'autovacuum_vacuum_scale_factor',
  vacuumMax: 'autovacuum_vacuum_max_threshold',
  insertBase: 'autovacuum_vacuum_insert_threshold',
  insertScale: 'autovacuum_vacuum_insert_scale_factor',
  analyzeBase: 'autovacuum_analyze_threshold',
  analyzeScale: 'autovacuum_analyze_scale_factor',
  freezeMaxAge: 'autovacuum_freeze_max_age',
  multixactFreezeMaxAge: 'autovacuum_multixact_freeze_max_age',
};

export async function readVacuumThresholds(sql: SqlQueryable): Promise<VacuumThresholds> {
  const { rows } = await sql.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])', [
    Object.values(AUTOVACUUM_SETTINGS),
  ]);
  const entries = Object.entries(AUTOVACUUM_SETTINGS).map(([key, name]) => {
    const row = rows.find((candidate) => candidate.name === name);
    if (!row) throw new Error(`PostgreSQL has no setting ${name}`);
    return [key, Number(row.setting)] as const;
  });
  const thresholds = Object.fromEntries(entries) as Record<keyof VacuumThresholds, number>;
  return { ...thresholds, vacuumMax: thresholds.vacuumMax < 0 ? Infinity : thresholds.vacuumMax };
}

/** Why `table` needs work now, if it does: the most urgent reason that applies. */
export function reasonFor(table: TableUpkeepState, limits: VacuumThresholds): VacuumReason | undefined {
  if (table.xidAge > limits.freezeMaxAge || table.multixactAge > limits.multixactFreezeMaxAge) return 'wraparound';
  const rows = Math.max(table.liveRowsEstimate, 0);
  if (table.deadRows > Math.min(limits.vacuumBase + limits.vacuumScale * rows, limits.vacuumMax)) return 'dead_rows';
  // Inserts count against the part of the table not yet frozen, so an append-only table is vacuumed as it grows.
  const unfrozen = table.pages > 0 && table.allFrozenPages > 0 ? 1 - Math.min(table.allFrozenPages, table.pages) / table.pages : 1;
  if (limits.insertBase >= 0 && table.insertsSinceVacuum > limits.insertBase + limits.insertScale * rows * unfrozen) return 'inserts';
  if (table.analyzable && table.changesSinceAnalyze > limits.analyzeBase + limits.analyzeScale * rows) return 'statistics';
  return undefined;
}

/**
 * The one table a step maintains: the most urgent reason first; within a reason the oldest
 * ids, or else the most rows waiting. One table a step, because on the embedded store every
 * other statement waits while it runs; for the same reason VACUUM and ANALYZE are steps of
 * their own (ANALYZE reads a sample spread over the whole table).
 */
export function chooseVacuum(tables: readonly TableUpkeepState[], limits: VacuumThresholds): VacuumChoice | undefined {
  let best: { table: TableUpkeepState; reason: VacuumReason; rank: number; weight: number } | undefined;
  for (const table of tables) {
    const reason = reasonFor(table, limits);
    if (!reason) continue;
    const rank = VACUUM_REASONS.indexOf(reason);
    const weight = weightOf(table, reason);
    if (!best || rank < best.rank || (rank === best.rank && weight > best.weight)) best = { table, reason, rank, weight };
  }
  if (!best) return undefined;
  const { table, reason } = best;
  const statement =
    reason === 'wraparound' ? `VACUUM (FREEZE) ${table.target}` : reason === 'statistics' ? `ANALYZE ${table.target}` : `VACUUM ${table.target}`;
  return { target: table.target, reason, statement };
}

function weightOf(table: TableUpkeepState, reason: VacuumReason): number {
  if (reason === 'wraparound') return Math.max(table.xidAge, table.multixactAge);
  if (reason === 'dead_rows') return table.deadRows;
  if (reason === 'inserts') return table.insertsSinceVacuum;
  return table.changesSinceAnalyze;
}
