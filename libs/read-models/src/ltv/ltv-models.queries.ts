import type { SqlQueryable } from '@ahe/database';
import { ltvModelsOf, type LtvModelRow } from './ltv-models.rows';
import { LTV_MODELS } from './ltv-models.table';
import type { LtvModels } from './ltv.types';

/**
 * The stored fit, read through the view the engine keeps over the serving generation. Null
 * before the projection's first generation exists and before its first refit.
 */
export async function readLtvModels(sql: SqlQueryable): Promise<LtvModels | null> {
  const { rows: found } = await sql.query<{ exists: boolean }>(`SELECT to_regclass('${LTV_MODELS}') IS NOT NULL AS exists`);
  if (!found[0]?.exists) return null;
  const { rows } = await sql.query<LtvModelRow>(
    `SELECT model, segment, params, n, log_likelihood, rejection, as_of, fitted_at, position::float8 AS position, fit_id FROM ${LTV_MODELS}`,
  );
  return ltvModelsOf(rows);
}
