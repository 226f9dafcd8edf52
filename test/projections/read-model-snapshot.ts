import type { SqlQueryable } from '@ahe/database';
import type { ProjectionDefinition } from '@ahe/projections';

/** Instants that say when a row was computed, not what it says; they differ between two runs. */
const WHEN_COMPUTED = new Set(['scored_at', 'rescore_at']);

/**
 * Every row of every read model (through the views that serve queries), in a stable order,
 * without the columns that only record when a row was computed: what two builds of the same
 * log must agree on.
 */
export async function snapshotReadModels(sql: SqlQueryable, definitions: readonly ProjectionDefinition[]): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of definitions.flatMap((definition) => definition.tables)) {
    const { rows } = await sql.query<Record<string, unknown>>(`SELECT * FROM ${table.name}`);
    const kept = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !WHEN_COMPUTED.has(column))));
    snapshot[table.name] = kept.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
