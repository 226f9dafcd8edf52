import type { SqlQueryable } from '@ahe/database';
import type { ProjectionDefinition } from '@ahe/projections';

/** Instants that say when a row was computed, not what it says; they differ between two runs. */
const WHEN_COMPUTED = new Set(['scored_at', 'rescore_at']);

/**
 * What follows the LTV fit rather than the log alone: a fit depends on when refits ran (and a
 * row on the fit current when it was scored), so two runs of the same log differ here until both
 * have refitted as of the same instant (docs/read-models.md, `ltv_models`).
 */
const FROM_THE_FIT: Readonly<Record<string, ReadonlySet<string>>> = {
  account_health: new Set(['ltv_expected', 'ltv_total', 'ltv_model', 'ltv_fit']),
  health_history: new Set(['ltv_expected', 'ltv_total']),
  portfolio: new Set(['expected_ltv']),
};
const FITS = new Set(['ltv_models']);

/**
 * Every row of every read model (through the views that serve queries), in a stable order,
 * without the columns that only record when a row was computed or follow the LTV fit: what two
 * builds of the same log must agree on.
 */
export async function snapshotReadModels(sql: SqlQueryable, definitions: readonly ProjectionDefinition[]): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of definitions.flatMap((definition) => definition.tables)) {
    if (FITS.has(table.name)) continue;
    const fromTheFit = FROM_THE_FIT[table.name] ?? new Set<string>();
    const { rows } = await sql.query<Record<string, unknown>>(`SELECT * FROM ${table.name}`);
    const kept = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !WHEN_COMPUTED.has(column) && !fromTheFit.has(column))));
    snapshot[table.name] = kept.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
