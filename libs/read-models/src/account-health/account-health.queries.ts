import DataLoader from 'dataloader';
import type { SqlQueryable } from '@ahe/database';
import { healthHistory } from '../health-history/health-history.queries';
import { LTV_MODELS } from '../ltv';
import type { AccountHealthView, HealthHistoryPoint, HealthHistoryQuery, HealthListJson, HealthListQuery, Page } from '../query.types';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { factsOfStored, type StoredHealthFacts } from './account-health.facts';
import { healthViewAt } from './account-health.score';
import { ACCOUNT_HEALTH } from './account-health.table';
import { viewOfRow, VIEW_COLUMNS, type AccountHealthViewRow } from './account-health.view';
import { decodeHealthCursor, encodeHealthCursor, sortLabel } from './health-cursor';
import { healthPageJson, ITEM_COLUMN } from './health-item.sql';
import { healthListStatement, sortValueType } from './health-list.sql';
import { LtvFitCache } from './ltv-fit.cache';

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/** One round trip: the facts and the id of the serving LTV fit (null when none is stored). */
const GET_SQL = `SELECT h.facts, (SELECT max(fit_id) FROM ${LTV_MODELS}) AS fit_id FROM ${ACCOUNT_HEALTH} h WHERE h.account_id = $1`;
/** Before the ltv_models projection has a view (its first generation not created yet). */
const GET_WITHOUT_FIT_SQL = `SELECT facts, NULL::text AS fit_id FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`;
/**
 * GET_SQL for several accounts at once, as `account_id IN ($1, …, $n)` with n one of
 * MANY_ARITIES (the ids padded with repeats of the first). A fixed number of parameters gets the
 * connection's cached generic plan, the one GET_SQL gets: an array parameter does not. Both
 * `unnest($1::text[])` and `= ANY($1)` were planned anew at every bind, since a plan that knows
 * the array's length always looks cheaper than one that guesses it: about 0.15 ms of each
 * statement's 0.3 ms for 4 accounts (docs/benchmarks-journal.md, "The batched read's plan"). The primary
 * key's uniqueness keeps the estimate at n rows, and so the index, whatever statistics the
 * table had when the connection planned it.
 */
const MANY_ARITIES = [2, 4, 8, 16, 32, 64, 100] as const;
const manyStatement = (arity: number, withFit: boolean) => {
  const ids = Array.from({ length: arity }, (_, index) => `$${index + 1}`).join(', ');
  const fit = withFit ? `(SELECT max(fit_id) FROM ${LTV_MODELS})` : 'NULL::text';
  return { text: `SELECT h.account_id, h.facts, ${fit} AS fit_id FROM ${ACCOUNT_HEALTH} h WHERE h.account_id IN (${ids})`, name: withFit ? `ahe_health_get_${arity}` : undefined };
};
/** The statements by the number of accounts they read, GET_SQL's first (its rows have no account_id). */
const GET_STATEMENTS = [
  { arity: 1, withFit: { text: GET_SQL, name: 'ahe_health_get' }, withoutFit: { text: GET_WITHOUT_FIT_SQL, name: undefined } },
  ...MANY_ARITIES.map((arity) => ({ arity, withFit: manyStatement(arity, true), withoutFit: manyStatement(arity, false) })),
];

/** Accounts read in one statement at most (a page of ids is about 30 bytes each). */
const MAX_ACCOUNTS_A_STATEMENT = MANY_ARITIES[MANY_ARITIES.length - 1];

type FactsRow = { facts: StoredHealthFacts; fit_id: string | null };

/**
 * Reads the serving generation through its views. One account is re-scored from its stored
 * facts and the current LTV fit at the instant asked, so time-based factors are exact when
 * read; lists serve the stored scores, which the projection's refresh keeps current on schedule.
 * `sql` is a client, not a transaction: a missing ltv_models view is answered by a second query.
 */
export class HealthQueries {
  private readonly fits: LtvFitCache;
  /**
   * The reads of single accounts asked in the same turn of the event loop, as one statement
   * (`setImmediate`: after every request whose bytes arrived in that turn has asked). On a busy
   * API each statement otherwise costs a socket write that wakes a PostgreSQL backend: on this
   * project's 2-core VMs, `writev` was 23-29 % of the API's samples under `GET /v1/health/:id`
   * (docs/benchmarks-journal.md). Nothing is cached between turns: every read sees the rows as they are.
   */
  private readonly rows: DataLoader<string, FactsRow | undefined>;

  constructor(
    private readonly sql: SqlQueryable,
    private readonly rules: ScoringRules,
  ) {
    this.fits = new LtvFitCache(sql);
    this.rows = new DataLoader((accountIds) => this.factsAndFits(accountIds), {
      cache: false,
      maxBatchSize: MAX_ACCOUNTS_A_STATEMENT,
      batchScheduleFn: (read) => setImmediate(read),
    });
  }

  async get(accountId: string, now: Date): Promise<AccountHealthView | null> {
    const row = await this.rows.load(accountId);
    if (row === undefined) return null;
    // The served view of scoreAccountHealth, without working out when it goes stale (rescoreAt), which the view leaves out.
    return healthViewAt(factsOfStored(row.facts), this.rules, now, await this.fits.models(row.fit_id));
  }

  /**
   * The stored facts and serving fit of each account asked, in the order asked (undefined: no
   * row). Only a missing ltv_models is answered without a fit; a missing account_health fails.
   */
  private async factsAndFits(accountIds: readonly string[]): Promise<(FactsRow | undefined)[]> {
    type Row = FactsRow & { account_id?: string };
    const { arity, withFit, withoutFit } = GET_STATEMENTS.find((statement) => statement.arity >= accountIds.length)!;
    const params = Array.from({ length: arity }, (_, index) => accountIds[index] ?? accountIds[0]);
    let rows: Row[];
    try {
      rows = (await this.sql.query<Row>(withFit.text, params, withFit.name)).rows;
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
      rows = (await this.sql.query<Row>(withoutFit.text, params, withoutFit.name)).rows;
    }
    if (arity === 1) return [rows[0]];
    const byId = new Map(rows.map((row) => [row.account_id, row]));
    return accountIds.map((accountId) => byId.get(accountId));
  }

  async list(query: HealthListQuery): Promise<Page<AccountHealthView>> {
    const { rows, nextCursor } = await this.page<AccountHealthViewRow>(query, VIEW_COLUMNS);
    return { items: rows.map(viewOfRow), nextCursor };
  }

  /** The page as its JSON text: exactly JSON.stringify of what list() gives, each item written by the database (health-item.sql.ts). */
  async listJson(query: HealthListQuery): Promise<HealthListJson> {
    const { rows, nextCursor } = await this.page<{ item: string }>(query, ITEM_COLUMN);
    return { json: healthPageJson(rows.map((row) => row.item), nextCursor), nextCursor };
  }

  /** The page's rows with the `selected` columns, and the cursor of the page after it. */
  private async page<Row>(query: HealthListQuery, selected: string): Promise<{ rows: Row[]; nextCursor: string | null }> {
    const sort = sortLabel(query.sort);
    const cursor = query.cursor === undefined ? null : decodeHealthCursor(query.cursor, sort, sortValueType(query.sort.key));
    const statement = healthListStatement(ACCOUNT_HEALTH, selected, query, cursor);
    const { rows } = await this.sql.query<Row & { sort_value: string | null; sort_account_id: string }>(statement.text, statement.params, statement.name);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last !== undefined ? encodeHealthCursor({ sort, value: last.sort_value, accountId: last.sort_account_id }) : null;
    return { rows: page, nextCursor };
  }

  /** Null when the account has no health row. */
  async history(query: HealthHistoryQuery): Promise<HealthHistoryPoint[] | null> {
    const { rows } = await this.sql.query(`SELECT 1 FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`, [query.accountId]);
    return rows.length === 0 ? null : healthHistory(this.sql, query);
  }
}
