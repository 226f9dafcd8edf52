import type { ProjectionTable } from '@ahe/projections';
import { perTable, perTablePair, quoteIdentifier, tuplesSql, type TupleColumns } from '../batch-sql';
import type { TrendAccount, TrendIncrement } from './satisfaction-trends.evolve';

export const SATISFACTION_TRENDS = 'satisfaction_trends';
export const SATISFACTION_TREND_ACCOUNTS = 'satisfaction_trend_accounts';

/**
 * One row per (grouping, key, interval, period). Sums rather than means, so a batch adds its
 * increments without reading rows back and means come out exact at query time.
 * `"interval"` is quoted: it is a keyword (the type) in PostgreSQL. The primary key's order is
 * the one the API pages a series in, so it serves every page. The column keeps the database's
 * collation: a view whose column changed collation could not be replaced under a BI user's view.
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
      CONSTRAINT ${table}_pkey PRIMARY KEY (group_by, "interval", group_key, period_start),
      CONSTRAINT ${table}_group_by_check CHECK (group_by IN ('account', 'segment', 'manager')),
      CONSTRAINT ${table}_interval_check CHECK ("interval" IN ('week', 'month'))
    );
    -- "every key's series over a date range" without a key: the PK serves a key's series and a page of all.
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

export const trendAccountOf = (row: TrendAccountRow): TrendAccount => ({
  accountId: row.account_id,
  segment: row.segment,
  managerId: row.manager_id,
  revision: row.revision,
});

export const selectTrendAccountsSql = perTable((table) => `SELECT account_id, segment, manager_id, revision FROM ${table} WHERE account_id = ANY($1::text[])`);

const ACCOUNT_COLUMNS = { account_id: 'text', segment: 'text', manager_id: 'text', revision: 'integer' } as const satisfies TupleColumns;

const BUCKET_COLUMNS = {
  group_by: 'text',
  group_key: 'text',
  interval: 'text',
  period_start: 'date',
  responses: 'integer',
  score_sum: 'numeric',
  csat_responses: 'integer',
  csat_sum: 'numeric',
  nps_responses: 'integer',
  nps_promoters: 'integer',
  nps_detractors: 'integer',
} as const satisfies TupleColumns;

const SUM_COLUMNS = ['responses', 'score_sum', 'csat_responses', 'csat_sum', 'nps_responses', 'nps_promoters', 'nps_detractors'] as const;

/** A batch's writes, each table's rows split by whether they can already exist. */
export interface TrendWrites {
  /** Accounts with no stored row: nothing of theirs was folded yet. */
  readonly newAccounts: readonly TrendAccount[];
  readonly storedAccounts: readonly TrendAccount[];
  /** Buckets of new accounts' own grouping: no row can hold them yet. */
  readonly newBuckets: readonly TrendIncrement[];
  /** Segment and manager buckets, and buckets of stored accounts: added to whatever row holds them. */
  readonly addedBuckets: readonly TrendIncrement[];
}

/**
 * All of a batch's writes in one statement (one round trip). Rows that cannot exist yet are
 * plain inserts: checking ON CONFLICT's arbiter index costs about a third of an insert, and a
 * rebuild meets almost every account, and its own buckets, for the first time. Bucket sums
 * go in as increments, so the rows need not be read back. The columns are quoted
 * (`"interval"` is a keyword, the type).
 */
export const writeTrendsSql = perTablePair((accountsTable, trendsTable) => {
  const accounts = Object.keys(ACCOUNT_COLUMNS).map(quoteIdentifier).join(', ');
  const buckets = Object.keys(BUCKET_COLUMNS).map(quoteIdentifier).join(', ');
  return `WITH new_accounts AS (
      INSERT INTO ${accountsTable} (${accounts}) ${tuplesSql(ACCOUNT_COLUMNS, 1)}
    ), stored_accounts AS (
      INSERT INTO ${accountsTable} AS a (${accounts}) ${tuplesSql(ACCOUNT_COLUMNS, 2)}
      ON CONFLICT (account_id) DO UPDATE SET segment = excluded.segment, manager_id = excluded.manager_id, revision = excluded.revision
      WHERE a.revision < excluded.revision
    ), new_buckets AS (
      INSERT INTO ${trendsTable} (${buckets}) ${tuplesSql(BUCKET_COLUMNS, 3)}
    )
    INSERT INTO ${trendsTable} AS t (${buckets}) ${tuplesSql(BUCKET_COLUMNS, 4)}
    ON CONFLICT (group_by, group_key, "interval", period_start) DO UPDATE SET
      ${SUM_COLUMNS.map((column) => `${column} = t.${column} + excluded.${column}`).join(', ')}`;
});

/** The parameters of writeTrendsSql; each list of buckets must name distinct buckets (see addIncrement). */
export function trendWriteParams(writes: TrendWrites): string[] {
  const account = (a: TrendAccount) => [a.accountId, a.segment, a.managerId, a.revision];
  const bucket = (i: TrendIncrement) => [
    i.groupBy, i.groupKey, i.interval, i.periodStart, i.responses, i.scoreSum, i.csatResponses, i.csatSum, i.npsResponses, i.npsPromoters, i.npsDetractors,
  ];
  return [
    JSON.stringify(writes.newAccounts.map(account)),
    JSON.stringify(writes.storedAccounts.map(account)),
    JSON.stringify(writes.newBuckets.map(bucket)),
    JSON.stringify(writes.addedBuckets.map(bucket)),
  ];
}
