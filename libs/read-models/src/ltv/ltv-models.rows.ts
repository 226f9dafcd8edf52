import { perTable, tuplesSql } from '../batch-sql';
import type { LtvFitModel, LtvFitRejection, LtvHistory, LtvModels } from './ltv.types';

/**
 * Rows travel to PostgreSQL as one JSON array per statement, so a batch or a refit is one
 * round trip per table on both databases.
 */
export interface LtvCustomerRow {
  readonly account_id: string;
  readonly segment: string;
  readonly kind: string;
  readonly history: LtvHistory;
  readonly revision: number;
  readonly position: number;
  readonly updated_at: string;
}

export const selectLtvCustomersSql = perTable((table) => `SELECT account_id, history, revision FROM ${table} WHERE account_id = ANY($1::text[])`);

const CUSTOMER_COLUMNS = {
  account_id: 'text',
  segment: 'text',
  kind: 'text',
  history: 'jsonb',
  revision: 'integer',
  position: 'bigint',
  updated_at: 'timestamptz',
} as const satisfies Record<keyof LtvCustomerRow, string>;

const CUSTOMER_NAMES = Object.keys(CUSTOMER_COLUMNS) as (keyof LtvCustomerRow)[];

/**
 * A batch's customers in one statement: those with no stored row ($1) are plain inserts
 * (checking ON CONFLICT's arbiter index costs about a third of an insert, and a rebuild meets
 * almost every account for the first time); stored ones ($2) are replaced unless already newer.
 * Both parameters are ltvCustomerTuples.
 */
export const writeLtvCustomersSql = perTable((table) => {
  const columns = CUSTOMER_NAMES.join(', ');
  const updates = CUSTOMER_NAMES.filter((column) => column !== 'account_id').map((column) => `${column} = excluded.${column}`);
  return `WITH new_customers AS (
      INSERT INTO ${table} (${columns}) ${tuplesSql(CUSTOMER_COLUMNS, 1)}
    )
    INSERT INTO ${table} AS c (${columns}) ${tuplesSql(CUSTOMER_COLUMNS, 2)}
    ON CONFLICT (account_id) DO UPDATE SET ${updates.join(', ')}
    WHERE c.revision < excluded.revision`;
});

/** Rows as one JSON array of tuples, in column order (see tuplesSql). */
export function ltvCustomerTuples(rows: readonly LtvCustomerRow[]): string {
  return JSON.stringify(rows.map((row) => CUSTOMER_NAMES.map((column) => row[column])));
}

export interface LtvModelRow {
  readonly model: LtvFitModel;
  readonly segment: string;
  readonly params: Readonly<Record<string, number>>;
  /** Null on a refused fit's row, which has `rejection` instead. */
  readonly n: number | null;
  readonly log_likelihood: number | null;
  readonly rejection: string | null;
  /** ISO 8601 when written; a Date or a string as the driver reads timestamptz back. */
  readonly as_of: string | Date;
  readonly fitted_at: string | Date;
  readonly position: number;
  readonly fit_id: string;
}

/**
 * The rows of one fit: a row per sBG segment, one for BG/NBD and one for Gamma-Gamma when fitted,
 * and one per refused fit.
 */
export function ltvModelRows(models: LtvModels, fittedAt: Date): LtvModelRow[] {
  const shared = { rejection: null, as_of: models.asOf, fitted_at: fittedAt.toISOString(), position: models.position, fit_id: models.fitId };
  const rows: LtvModelRow[] = models.sbg.map(({ segment, alpha, beta, n, logLikelihood }) => ({
    model: 'sbg',
    segment,
    params: { alpha, beta },
    n,
    log_likelihood: logLikelihood,
    ...shared,
  }));
  if (models.bgnbd !== null) {
    const { r, alpha, a, b, n, logLikelihood } = models.bgnbd;
    rows.push({ model: 'bgnbd', segment: '', params: { r, alpha, a, b }, n, log_likelihood: logLikelihood, ...shared });
  }
  if (models.gammaGamma !== null) {
    const { p, q, v, n, logLikelihood } = models.gammaGamma;
    rows.push({ model: 'gamma-gamma', segment: '', params: { p, q, v }, n, log_likelihood: logLikelihood, ...shared });
  }
  for (const { model, segment, reason } of models.rejected ?? []) {
    rows.push({ model, segment, params: {}, n: null, log_likelihood: null, ...shared, rejection: reason });
  }
  return rows;
}

const MODEL_ORDER: readonly LtvFitModel[] = ['sbg', 'bgnbd', 'gamma-gamma'];

/** The order fitLtvModels lists refusals in: sBG by segment, then BG/NBD, then Gamma-Gamma. */
function byModelThenSegment(left: LtvFitRejection, right: LtvFitRejection): number {
  const models = MODEL_ORDER.indexOf(left.model) - MODEL_ORDER.indexOf(right.model);
  if (models !== 0) return models;
  return left.segment < right.segment ? -1 : left.segment > right.segment ? 1 : 0;
}

/**
 * The fit the rows hold; null without rows. The stored fit always follows the log, so its
 * axis is the recorded one: it includes exactly the events recorded up to its as_of.
 */
export function ltvModelsOf(allRows: readonly LtvModelRow[]): LtvModels | null {
  const first = allRows[0];
  if (first === undefined) return null;
  const rows = allRows.filter((row) => row.rejection === null);
  const fitted = (row: LtvModelRow) => ({ ...row.params, n: row.n, logLikelihood: row.log_likelihood });
  const single = (model: LtvFitModel) => rows.find((row) => row.model === model);
  const bgnbd = single('bgnbd');
  const gammaGamma = single('gamma-gamma');
  return {
    asOf: new Date(first.as_of).toISOString(),
    axis: 'recorded',
    position: Number(first.position),
    fitId: first.fit_id,
    sbg: rows
      .filter((row) => row.model === 'sbg')
      .map((row) => ({ segment: row.segment, ...fitted(row) }) as LtvModels['sbg'][number])
      .sort((left, right) => (left.segment < right.segment ? -1 : left.segment > right.segment ? 1 : 0)),
    bgnbd: bgnbd === undefined ? null : (fitted(bgnbd) as LtvModels['bgnbd']),
    gammaGamma: gammaGamma === undefined ? null : (fitted(gammaGamma) as LtvModels['gammaGamma']),
    rejected: allRows
      .flatMap(({ model, segment, rejection }) => (rejection === null ? [] : [{ model, segment, reason: rejection }]))
      .sort(byModelThenSegment),
  };
}

export function insertLtvModelsSql(table: string): string {
  return `INSERT INTO ${table} (model, segment, params, n, log_likelihood, rejection, as_of, fitted_at, position, fit_id)
    SELECT model, segment, params, n, log_likelihood, rejection, as_of, fitted_at, position, fit_id
    FROM json_to_recordset($1::json) AS r(model text, segment text, params jsonb, n integer, log_likelihood float8, rejection text,
      as_of timestamptz, fitted_at timestamptz, position bigint, fit_id text)`;
}

/** The current fit's bookkeeping (the same on every row), to decide whether a refit is due. */
export function selectFitStateSql(table: string): string {
  return `SELECT as_of, fitted_at, position::float8 AS position FROM ${table} LIMIT 1`;
}
