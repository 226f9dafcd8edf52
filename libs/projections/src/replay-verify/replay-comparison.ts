/**
 * What a replay is compared on. Some values depend on when the live process ran, not on the
 * log alone; the caller names them here, each with the reason the report prints, so nothing
 * is left out silently. Everything not named is compared exactly.
 */
export interface ReplayComparison {
  /**
   * Projections whose `refresh` (re-scoring of time-based values) is run on both sides, in one
   * transaction, at one instant, before comparing: live rows scored at the last batch or
   * refresh, and replayed rows scored during the replay, are then all scored as of that instant
   * (and with whatever else the refresh reads, e.g. the current LTV fit, seen once for both).
   */
  readonly refreshedAtOneInstant: readonly string[];
  /** table → column → why it is not compared. */
  readonly ignoredColumns: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** table → why none of it is compared. */
  readonly ignoredTables: Readonly<Record<string, string>>;
}

/** Every table, every column, no refresh. */
export const COMPARE_EVERYTHING: ReplayComparison = Object.freeze({ refreshedAtOneInstant: [], ignoredColumns: {}, ignoredTables: {} });

/** One line of the report's "not compared" list. */
export interface NotCompared {
  readonly table: string;
  /** Null when the whole table is left out. */
  readonly column: string | null;
  readonly reason: string;
}

/** The exclusions that concern these tables, for the report. */
export function notCompared(comparison: ReplayComparison, tables: readonly string[]): NotCompared[] {
  return tables.flatMap((table): NotCompared[] => {
    const whole = comparison.ignoredTables[table];
    if (whole !== undefined) return [{ table, column: null, reason: whole }];
    return Object.entries(comparison.ignoredColumns[table] ?? {}).map(([column, reason]) => ({ table, column, reason }));
  });
}
