import type { ProjectionTable } from '@ahe/projections';
import { arrayLiteral, unnestSql } from '../batch-sql';
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

/** The figures of a score that a history row keeps. */
export type HistoryFigures = Pick<AccountHealthView, 'churnRisk' | 'band' | 'satisfaction' | 'ltv'>;

export function healthHistoryRow(accountId: string, day: string, position: number, score: HistoryFigures): HealthHistoryRow {
  return {
    account_id: accountId,
    day,
    churn_risk: score.churnRisk,
    band: score.band,
    satisfaction_latest: score.satisfaction.latest,
    satisfaction_mean90d: score.satisfaction.mean90d,
    ltv_realized: score.ltv.realized,
    ltv_expected: score.ltv.expected,
    ltv_total: score.ltv.total,
    position,
  };
}

const HISTORY_COLUMNS = {
  account_id: 'text',
  day: 'date',
  churn_risk: 'integer',
  band: 'text',
  satisfaction_latest: 'numeric',
  satisfaction_mean90d: 'numeric',
  ltv_realized: 'bigint',
  ltv_expected: 'bigint',
  ltv_total: 'bigint',
  position: 'bigint',
} as const satisfies Record<keyof HealthHistoryRow, string>;

const HISTORY_NAMES = Object.keys(HISTORY_COLUMNS) as Array<keyof HealthHistoryRow>;

/**
 * About one row per event: the heaviest write of a rebuild, hence one array per column ($first…,
 * see unnestSql). `replace` adds the ON CONFLICT clause, which only rows of accounts that
 * already have history need: checking the arbiter index costs about a third of a plain insert,
 * and a rebuild writes almost every row for an account it meets for the first time.
 */
export function insertHealthHistorySql(table: string, replace: boolean, first = 1): string {
  const insert = `INSERT INTO ${table} (${HISTORY_NAMES.join(', ')})
    ${unnestSql(HISTORY_COLUMNS, first)}`;
  if (!replace) return insert;
  return `${insert}
    ON CONFLICT (account_id, day) DO UPDATE SET ${HISTORY_NAMES.filter((name) => name !== 'account_id' && name !== 'day')
      .map((name) => `${name} = excluded.${name}`)
      .join(', ')}`;
}

/** Parameters insertHealthHistorySql takes: one array per column. */
export const HEALTH_HISTORY_PARAMETERS = HISTORY_NAMES.length;

/** The parameters of insertHealthHistorySql: the rows as one array literal per column. */
export function healthHistoryColumns(rows: readonly HealthHistoryRow[]): string[] {
  return HISTORY_NAMES.map((name) => arrayLiteral(rows.map((row) => row[name])));
}
