import type { ProjectionTable } from '@ahe/projections';
import type { TrendAccount, TrendIncrement } from './satisfaction-trends.evolve';

export const SATISFACTION_TRENDS = 'satisfaction_trends';
export const SATISFACTION_TREND_ACCOUNTS = 'satisfaction_trend_accounts';

/**
 * One row per (grouping, key, interval, period). Sums rather than means, so a batch adds its
 * increments without reading rows back and means come out exact at query time.
 * `"interval"` is quoted: it is a keyword (the type) in PostgreSQL.
 */
export const satisfactionTrendsTable: ProjectionTable = {
  name: SATISFACTION_TRENDS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      group_by text NOT NULL,
      group_key text NOT NULL,
      "interval" text NOT NULL,
      period_start date NOT NULL,
      responses integer NOT NULL,
      score_sum numeric NOT NULL,
      csat_responses integer NOT NULL,
      csat_sum numeric NOT NULL,
      nps_responses integer NOT NULL,
      nps_promoters integer NOT NULL,
      nps_detractors integer NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (group_by, group_key, "interval", period_start),
      CONSTRAINT ${table}_group_by_check CHECK (group_by IN ('account', 'segment', 'manager')),
      CONSTRAINT ${table}_interval_check CHECK ("interval" IN ('week', 'month'))
    );
    -- "every key's series over a date range" without a key: the PK serves queries with one.
    CREATE INDEX ${table}_period_idx ON ${table} (group_by, "interval", period_start);
  `,
};

/**
 * The groups each account is in now, and the stream revision folded last: an event at or
 * below it was already counted, which makes re-applying a batch a no-op.
 */
export const satisfactionTrendAccountsTable: ProjectionTable = {
  name: SATISFACTION_TREND_ACCOUNTS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      account_id text NOT NULL,
      segment text,
      manager_id text,
      revision integer NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (account_id)
    );
  `,
};

export const SATISFACTION_TRENDS_TABLES: readonly ProjectionTable[] = [satisfactionTrendsTable, satisfactionTrendAccountsTable];

export interface TrendAccountRow {
  readonly account_id: string;
  readonly segment: string | null;
  readonly manager_id: string | null;
  readonly revision: number;
}

export const trendAccountRow = (account: TrendAccount): TrendAccountRow => ({
  account_id: account.accountId,
  segment: account.segment,
  manager_id: account.managerId,
  revision: account.revision,
});

export const trendAccountOf = (row: TrendAccountRow): TrendAccount => ({
  accountId: row.account_id,
  segment: row.segment,
  managerId: row.manager_id,
  revision: row.revision,
});

export function selectTrendAccountsSql(table: string): string {
  return `SELECT account_id, segment, manager_id, revision FROM ${table} WHERE account_id = ANY($1::text[])`;
}

export function upsertTrendAccountsSql(table: string): string {
  return `INSERT INTO ${table} AS a (account_id, segment, manager_id, revision)
    SELECT account_id, segment, manager_id, revision
    FROM json_to_recordset($1::json) AS r(account_id text, segment text, manager_id text, revision integer)
    ON CONFLICT (account_id) DO UPDATE SET segment = excluded.segment, manager_id = excluded.manager_id, revision = excluded.revision
    WHERE a.revision < excluded.revision`;
}

export interface TrendIncrementRow {
  readonly group_by: string;
  readonly group_key: string;
  readonly interval: string;
  readonly period_start: string;
  readonly responses: number;
  readonly score_sum: number;
  readonly csat_responses: number;
  readonly csat_sum: number;
  readonly nps_responses: number;
  readonly nps_promoters: number;
  readonly nps_detractors: number;
}

export const trendIncrementRow = (increment: TrendIncrement): TrendIncrementRow => ({
  group_by: increment.groupBy,
  group_key: increment.groupKey,
  interval: increment.interval,
  period_start: increment.periodStart,
  responses: increment.responses,
  score_sum: increment.scoreSum,
  csat_responses: increment.csatResponses,
  csat_sum: increment.csatSum,
  nps_responses: increment.npsResponses,
  nps_promoters: increment.npsPromoters,
  nps_detractors: increment.npsDetractors,
});

/** Adds each row to its bucket; the rows must name distinct buckets (see addIncrements). */
export function addTrendIncrementsSql(table: string): string {
  return `INSERT INTO ${table} AS t (group_by, group_key, "interval", period_start, responses, score_sum,
      csat_responses, csat_sum, nps_responses, nps_promoters, nps_detractors)
    SELECT group_by, group_key, "interval", period_start, responses, score_sum,
      csat_responses, csat_sum, nps_responses, nps_promoters, nps_detractors
    FROM json_to_recordset($1::json) AS r(group_by text, group_key text, "interval" text, period_start date,
      responses integer, score_sum numeric, csat_responses integer, csat_sum numeric,
      nps_responses integer, nps_promoters integer, nps_detractors integer)
    ON CONFLICT (group_by, group_key, "interval", period_start) DO UPDATE SET
      responses = t.responses + excluded.responses,
      score_sum = t.score_sum + excluded.score_sum,
      csat_responses = t.csat_responses + excluded.csat_responses,
      csat_sum = t.csat_sum + excluded.csat_sum,
      nps_responses = t.nps_responses + excluded.nps_responses,
      nps_promoters = t.nps_promoters + excluded.nps_promoters,
      nps_detractors = t.nps_detractors + excluded.nps_detractors`;
}
