import type { AccountHealthView, AccountStatus, Arrow, Band, ChurnRiskFactor } from '../query.types';
import { isoInstantSql } from '../scoring/utc-calendar';
import type { AccountHealthScore } from './account-health.score';

/**
 * The factors as jsonb's text without spaces, as JSON.stringify writes them: factor names are
 * camelCase ids, and their values numbers or null. viewOfRow parses it; a JSON page's items carry
 * it as it is (health-item.sql.ts).
 */
export const COMPACT_FACTORS = `replace(factors::text, ' ', '')`;

/** Casts that read the same through pg and PGlite: no bigint strings, no local-time dates. */
export const VIEW_COLUMNS = [
  'account_id',
  'name',
  'segment',
  'manager_id',
  'status',
  'churn_risk',
  'band',
  `${COMPACT_FACTORS} AS factors`,
  'satisfaction_latest::float8 AS satisfaction_latest',
  'satisfaction_mean90d::float8 AS satisfaction_mean90d',
  'satisfaction_trend::float8 AS satisfaction_trend',
  'satisfaction_arrow',
  'ltv_realized::float8 AS ltv_realized',
  'ltv_expected::float8 AS ltv_expected',
  'ltv_total::float8 AS ltv_total',
  'currency',
  'ltv_model',
  'open_complaints',
  'overdue_invoices',
  'days_since_last_contact',
  `to_char(renewal_date, 'YYYY-MM-DD') AS renewal_date`,
  'scoring_version',
  'position::float8 AS position',
  `${isoInstantSql('updated_at')} AS updated_at`,
  `${isoInstantSql('scored_at')} AS scored_at`,
].join(', ');

export interface AccountHealthViewRow {
  account_id: string;
  name: string;
  segment: string;
  manager_id: string;
  status: AccountStatus;
  churn_risk: number;
  band: Band;
  /** The ChurnRiskFactor[] as JSON text (COMPACT_FACTORS). */
  factors: string;
  satisfaction_latest: number | null;
  satisfaction_mean90d: number | null;
  satisfaction_trend: number | null;
  satisfaction_arrow: Arrow;
  ltv_realized: number;
  ltv_expected: number;
  ltv_total: number;
  currency: string;
  ltv_model: string;
  open_complaints: number;
  overdue_invoices: number;
  days_since_last_contact: number | null;
  renewal_date: string | null;
  scoring_version: string;
  position: number;
  updated_at: string;
  scored_at: string;
}

export function viewOfRow(row: AccountHealthViewRow): AccountHealthView {
  return {
    accountId: row.account_id,
    name: row.name,
    segment: row.segment,
    managerId: row.manager_id,
    status: row.status,
    churnRisk: row.churn_risk,
    band: row.band,
    factors: JSON.parse(row.factors) as ChurnRiskFactor[],
    satisfaction: { latest: row.satisfaction_latest, mean90d: row.satisfaction_mean90d, trend: row.satisfaction_trend, arrow: row.satisfaction_arrow },
    ltv: { realized: row.ltv_realized, expected: row.ltv_expected, total: row.ltv_total, currency: row.currency, model: row.ltv_model },
    openComplaints: row.open_complaints,
    overdueInvoices: row.overdue_invoices,
    daysSinceLastContact: row.days_since_last_contact,
    renewalDate: row.renewal_date,
    scoringVersion: row.scoring_version,
    position: row.position,
    updatedAt: row.updated_at,
    scoredAt: row.scored_at,
  };
}

/** The served view of a fresh score: the projection's bookkeeping left out. */
export function viewOfScore(score: AccountHealthScore): AccountHealthView {
  const { rescoreAt: _rescoreAt, ltvFit: _ltvFit, ...view } = score;
  return view;
}
