import type { ProjectionTable } from '@ahe/projections';
import type { AccountHealthView } from '../query.types';

export const HEALTH_HISTORY = 'health_history';

/**
 * One row per account per UTC day (of the events' occurredAt) on which anything happened:
 * the score after the day's last event in log order, evaluated at that event's occurredAt.
 * A back-dated event rewrites its own day's row with the facts known when it was applied
 * (later events included); exact as-of answers come from replaying the log, not from here.
 */
export const healthHistoryTable: ProjectionTable = {
  name: HEALTH_HISTORY,
  ddl: (table) => `
    CREATE TABLE ${table} (
      account_id text NOT NULL,
      day date NOT NULL,
      churn_risk integer NOT NULL,
      band text NOT NULL,
      satisfaction_latest numeric,
      satisfaction_mean90d numeric,
      ltv_realized bigint NOT NULL,
      ltv_expected bigint NOT NULL,
      ltv_total bigint NOT NULL,
      position bigint NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (account_id, day)
    );
  `,
};

export interface HealthHistoryRow {
  readonly account_id: string;
  readonly day: string;
  readonly churn_risk: number;
  readonly band: string;
  readonly satisfaction_latest: number | null;
  readonly satisfaction_mean90d: number | null;
  readonly ltv_realized: number;
  readonly ltv_expected: number;
  readonly ltv_total: number;
  readonly position: number;
}

export function healthHistoryRow(day: string, score: AccountHealthView): HealthHistoryRow {
  return {
    account_id: score.accountId,
    day,
    churn_risk: score.churnRisk,
    band: score.band,
    satisfaction_latest: score.satisfaction.latest,
    satisfaction_mean90d: score.satisfaction.mean90d,
    ltv_realized: score.ltv.realized,
    ltv_expected: score.ltv.expected,
    ltv_total: score.ltv.total,
    position: score.position,
  };
}

export function upsertHealthHistorySql(table: string): string {
  return `INSERT INTO ${table} (account_id, day, churn_risk, band, satisfaction_latest, satisfaction_mean90d, ltv_realized, ltv_expected, ltv_total, position)
    SELECT * FROM json_to_recordset($1::json) AS r(account_id text, day date, churn_risk integer, band text,
      satisfaction_latest numeric, satisfaction_mean90d numeric, ltv_realized bigint, ltv_expected bigint, ltv_total bigint, position bigint)
    ON CONFLICT (account_id, day) DO UPDATE SET churn_risk = excluded.churn_risk, band = excluded.band,
      satisfaction_latest = excluded.satisfaction_latest, satisfaction_mean90d = excluded.satisfaction_mean90d,
      ltv_realized = excluded.ltv_realized, ltv_expected = excluded.ltv_expected, ltv_total = excluded.ltv_total,
      position = excluded.position`;
}
