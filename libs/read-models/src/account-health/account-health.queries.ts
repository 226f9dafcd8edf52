import DataLoader from 'dataloader';
import type { SqlQueryable } from '@ahe/database';
import { healthHistory } from '../health-history/health-history.queries';
import { LTV_MODELS } from '../ltv';
import type { AccountHealthView, HealthHistoryPoint, HealthHistoryQuery, HealthListPage, HealthListQuery, Page } from '../query.types';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import type { AccountHealthFacts } from './account-health.facts';
import { healthViewAt } from './account-health.score';
import { ACCOUNT_HEALTH } from './account-health.table';
import { viewOfRow, VIEW_COLUMNS, type AccountHealthViewRow } from './account-health.view';
import { decodeHealthCursor, encodeHealthCursor, sortLabel } from './health-cursor';
import { healthListStatement } from './health-list.sql';
import { healthPageJson } from './health-page.json';
import { LtvFitCache } from './ltv-fit.cache';

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/** One round trip: the facts and the id of the serving LTV fit (null when none is stored). */
const GET_SQL = `SELECT h.facts, (SELECT max(fit_id) FROM ${LTV_MODELS}) AS fit_id FROM ${ACCOUNT_HEALTH} h WHERE h.account_id = $1`;
/** Before the ltv_models projection has a view (its first generation not created yet). */
const GET_WITHOUT_FIT_SQL = `SELECT facts, NULL::text AS fit_id FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`;
/**
 * GET_SQL for several accounts at once. A join with the array's elements rather than `= ANY($1)`:
 * its plan looks each id up by the primary key whatever statistics the table had when the
 * connection first planned it (see BATCH_SETTINGS in @ahe/projections for what `= ANY($1)`'s
 * generic plan did on a table planned while empty).
 */
const GET_MANY_SQL = `SELECT h.account_id, h.facts, (SELECT max(fit_id) FROM ${LTV_MODELS}) AS fit_id
  FROM unnest($1::text[]) AS asked(account_id) JOIN ${ACCOUNT_HEALTH} h ON h.account_id = asked.account_id`;
const GET_MANY_WITHOUT_FIT_SQL = `SELECT h.account_id, h.facts, NULL::text AS fit_id
  FROM unnest($1::text[]) AS asked(account_id) JOIN ${ACCOUNT_HEALTH} h ON h.account_id = asked.account_id`;

/** Accounts read in one statement at most (a page of ids is about 30 bytes each). */
const MAX_ACCOUNTS_A_STATEMENT = 100;

type FactsRow = { facts: AccountHealthFacts; fit_id: string | null };

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
   * (docs/benchmarks.md). Nothing is cached between turns: every read sees the rows as they are.
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
    return healthViewAt(row.facts, this.rules, now, await this.fits.models(row.fit_id));
  }

  /**
   * The stored facts and serving fit of each account asked, in the order asked (undefined: no
   * row). Only a missing ltv_models is answered without a fit; a missing account_health fails.
   */
  private async factsAndFits(accountIds: readonly string[]): Promise<(FactsRow | undefined)[]> {
    type Row = FactsRow & { account_id?: string };
    const one = accountIds.length === 1;
    const [withFit, withoutFit, name] = one ? [GET_SQL, GET_WITHOUT_FIT_SQL, 'ahe_health_get'] : [GET_MANY_SQL, GET_MANY_WITHOUT_FIT_SQL, 'ahe_health_get_many'];
    const params = one ? [accountIds[0]] : [[...accountIds]];
    let rows: Row[];
    try {
      rows = (await this.sql.query<Row>(withFit, params, name)).rows;
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
      rows = (await this.sql.query<Row>(withoutFit, params)).rows;
    }
    if (one) return [rows[0]];
    const byId = new Map(rows.map((row) => [row.account_id, row]));
    return accountIds.map((accountId) => byId.get(accountId));
  }

  async list(query: HealthListQuery): Promise<Page<AccountHealthView>> {
    const page = await this.listPage(query);
    return { items: page.views(), nextCursor: page.nextCursor };
  }

  /** The rows of a page, made into views or into the page's JSON text only when asked. */
  async listPage(query: HealthListQuery): Promise<HealthListPage> {
    const sort = sortLabel(query.sort);
    const cursor = query.cursor === undefined ? null : decodeHealthCursor(query.cursor, sort);
    const statement = healthListStatement(ACCOUNT_HEALTH, VIEW_COLUMNS, query, cursor);
    const { rows } = await this.sql.query<AccountHealthViewRow & { sort_value: string | null }>(statement.text, statement.params, statement.name);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last !== undefined ? encodeHealthCursor({ sort, value: last.sort_value, accountId: last.account_id }) : null;
    return { nextCursor, views: () => page.map(viewOfRow), json: () => healthPageJson(page, nextCursor) };
  }

  /** Null when the account has no health row. */
  async history(query: HealthHistoryQuery): Promise<HealthHistoryPoint[] | null> {
    const { rows } = await this.sql.query(`SELECT 1 FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`, [query.accountId]);
    return rows.length === 0 ? null : healthHistory(this.sql, query);
  }
}
