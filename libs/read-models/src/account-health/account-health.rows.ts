import { perTable, rowsWithDocumentsParams, rowsWithDocumentsSql, type DocumentType } from '../batch-sql';
import type { PortfolioContribution } from '../portfolio/portfolio.deltas';
import type { AnyAccountState } from '@ahe/domain';
import { storedFactsOf, type HealthFactsOf } from './account-health.facts';
import type { AccountHealthScore } from './account-health.score';

/** Rows travel to PostgreSQL as one JSON array per statement (and per document column): see batch-sql. */
const SCORE_COLUMNS = {
  account_id: 'text',
  name: 'text',
  segment: 'text',
  manager_id: 'text',
  currency: 'text',
  status: 'text',
  churn_risk: 'integer',
  band: 'text',
  factors: 'jsonb',
  satisfaction_latest: 'numeric',
  satisfaction_mean90d: 'numeric',
  satisfaction_trend: 'numeric',
  satisfaction_arrow: 'text',
  ltv_realized: 'bigint',
  ltv_expected: 'bigint',
  ltv_total: 'bigint',
  ltv_model: 'text',
  ltv_fit: 'text',
  open_complaints: 'integer',
  overdue_invoices: 'integer',
  days_since_last_contact: 'integer',
  renewal_date: 'date',
  annual_value: 'bigint',
  scoring_version: 'text',
  scored_at: 'timestamptz',
  rescore_at: 'timestamptz',
} as const;

const FACT_COLUMNS = {
  last_contact_at: 'timestamptz',
  revision: 'integer',
  position: 'bigint',
  updated_at: 'timestamptz',
  // Read back whole by the projection alone (never queried inside): json is stored as sent, for
  // a third of the database's CPU of jsonb (72-83 against 25 µs a row written, 7 against 3 read).
  facts: 'json',
} as const;

type Columns = typeof SCORE_COLUMNS & typeof FACT_COLUMNS;
export type AccountHealthRow = { readonly [Column in keyof Columns]: unknown };

export function accountHealthRow(facts: HealthFactsOf<AnyAccountState>, score: AccountHealthScore): AccountHealthRow {
  return {
    account_id: score.accountId,
    name: score.name,
    segment: score.segment,
    manager_id: score.managerId,
    currency: score.ltv.currency,
    status: score.status,
    churn_risk: score.churnRisk,
    band: score.band,
    factors: score.factors,
    satisfaction_latest: score.satisfaction.latest,
    satisfaction_mean90d: score.satisfaction.mean90d,
    satisfaction_trend: score.satisfaction.trend,
    satisfaction_arrow: score.satisfaction.arrow,
    ltv_realized: score.ltv.realized,
    ltv_expected: score.ltv.expected,
    ltv_total: score.ltv.total,
    ltv_model: score.ltv.model,
    ltv_fit: score.ltvFit,
    open_complaints: score.openComplaints,
    overdue_invoices: score.overdueInvoices,
    days_since_last_contact: score.daysSinceLastContact,
    renewal_date: score.renewalDate,
    annual_value: facts.state.contract?.annualValue ?? 0,
    scoring_version: score.scoringVersion,
    scored_at: score.scoredAt,
    rescore_at: score.rescoreAt,
    last_contact_at: facts.lastContactAt,
    revision: facts.revision,
    position: facts.position,
    updated_at: score.updatedAt,
    facts,
  };
}

export type ContributionColumns = Pick<
  AccountHealthRow,
  'manager_id' | 'segment' | 'currency' | 'status' | 'band' | 'annual_value' | 'ltv_expected' | 'ltv_realized'
>;

export function contributionOf(row: ContributionColumns): PortfolioContribution {
  return {
    managerId: row.manager_id as string,
    segment: row.segment as string,
    currency: row.currency as string,
    status: row.status as PortfolioContribution['status'],
    band: row.band as PortfolioContribution['band'],
    annualValue: Number(row.annual_value),
    expectedLtv: Number(row.ltv_expected),
    realizedLtv: Number(row.ltv_realized),
  };
}

/**
 * A write's columns as rowsWithDocumentsSql sends them: the plain ones as a typed array each, then
 * each document column as a JSON array of its own (with documents in one recordset the upsert
 * cost a quarter more in PostgreSQL, and the re-score lexed `factors` character by character: 67
 * of 131 ms a chunk of 1,000). `names` is the order the rows come out in.
 */
function withDocuments<Name extends string>(columns: Readonly<Record<Name, string>>, documents: readonly Name[]) {
  const plainNames = (Object.keys(columns) as Name[]).filter((name) => !documents.includes(name));
  const plainColumns = Object.fromEntries(plainNames.map((name) => [name, columns[name]]));
  const documentTypes = documents.map((name) => columns[name] as DocumentType);
  return { plainNames, plainColumns, documents, documentTypes, names: [...plainNames, ...documents] };
}

const WRITTEN = withDocuments<keyof Columns>({ ...SCORE_COLUMNS, ...FACT_COLUMNS }, ['factors', 'facts']);
const SCORED = withDocuments<keyof typeof SCORE_COLUMNS>(SCORE_COLUMNS, ['factors']);

/** Inserts or replaces whole rows: the projection's write. Parameters: accountHealthParameters, from `$first`. */
export function upsertAccountHealthSql(table: string, first = 1): string {
  return `INSERT INTO ${table} (${WRITTEN.names.join(', ')})
    ${rowsWithDocumentsSql(WRITTEN.plainColumns, WRITTEN.documentTypes, first)}
    ON CONFLICT (account_id) DO UPDATE SET ${WRITTEN.names
      .filter((name) => name !== 'account_id')
      .map((name) => `${name} = excluded.${name}`)
      .join(', ')}`;
}

/** Parameters upsertAccountHealthSql takes: one array per column. */
export const ACCOUNT_HEALTH_PARAMETERS = WRITTEN.names.length;

/** The parameters of upsertAccountHealthSql (rowsWithDocumentsParams), `facts` as stored (storedFactsOf). */
export function accountHealthParameters(rows: readonly AccountHealthRow[]): string[] {
  return rowsWithDocumentsParams(rows, WRITTEN.plainNames, WRITTEN.documents, { facts: (facts) => storedFactsOf(facts as HealthFactsOf<AnyAccountState>) });
}

/** Replaces the score of existing rows, leaving their facts alone: the refresh's write. Parameters: rescoreParameters. */
export const rescoreAccountHealthSql = perTable((table) => `UPDATE ${table} AS t SET ${SCORED.names
      .filter((name) => name !== 'account_id')
      .map((name) => `${name} = r.${name}`)
      .join(', ')}
    FROM (${rowsWithDocumentsSql(SCORED.plainColumns, SCORED.documentTypes)}) AS r(${SCORED.names.join(', ')})
    WHERE t.account_id = r.account_id`);

/** The parameters of rescoreAccountHealthSql. */
export function rescoreParameters(rows: readonly AccountHealthRow[]): string[] {
  return rowsWithDocumentsParams(rows, SCORED.plainNames, SCORED.documents);
}

/** Columns the portfolio deltas start from, as stored. */
export const CONTRIBUTION_COLUMNS =
  'manager_id, segment, currency, status, band, annual_value::float8 AS annual_value, ltv_expected::float8 AS ltv_expected, ltv_realized::float8 AS ltv_realized';
