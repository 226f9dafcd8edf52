import type { SqlQueryable } from '@ahe/database';
import { healthHistory } from '../health-history/health-history.queries';
import { readLtvModels } from '../ltv';
import type { AccountHealthView, HealthHistoryPoint, HealthHistoryQuery, HealthListQuery, Page } from '../query.types';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import type { AccountHealthFacts } from './account-health.facts';
import { scoreAccountHealth } from './account-health.score';
import { ACCOUNT_HEALTH } from './account-health.table';
import { viewOfRow, viewOfScore, VIEW_COLUMNS, type AccountHealthViewRow } from './account-health.view';
import { decodeHealthCursor, encodeHealthCursor, sortLabel } from './health-cursor';
import { healthListStatement } from './health-list.sql';

/**
 * Reads the serving generation through its views. One account is re-scored from its stored
 * facts and the current LTV fit at the instant asked, so time-based factors are exact when
 * read; lists serve the stored scores, which the projection's refresh keeps current on schedule.
 */
export class HealthQueries {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly rules: ScoringRules,
  ) {}

  async get(accountId: string, now: Date): Promise<AccountHealthView | null> {
    const { rows } = await this.sql.query<{ facts: AccountHealthFacts }>(`SELECT facts FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`, [accountId]);
    const facts = rows[0]?.facts;
    return facts === undefined ? null : viewOfScore(scoreAccountHealth(facts, this.rules, now, await readLtvModels(this.sql)));
  }

  async list(query: HealthListQuery): Promise<Page<AccountHealthView>> {
    const sort = sortLabel(query.sort);
    const cursor = query.cursor === undefined ? null : decodeHealthCursor(query.cursor, sort);
    const statement = healthListStatement(ACCOUNT_HEALTH, VIEW_COLUMNS, query, cursor);
    const { rows } = await this.sql.query<AccountHealthViewRow & { sort_value: string | null }>(statement.text, statement.params);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last !== undefined ? encodeHealthCursor({ sort, value: last.sort_value, accountId: last.account_id }) : null;
    return { items: page.map(viewOfRow), nextCursor };
  }

  /** Null when the account has no health row. */
  async history(query: HealthHistoryQuery): Promise<HealthHistoryPoint[] | null> {
    const { rows } = await this.sql.query(`SELECT 1 FROM ${ACCOUNT_HEALTH} WHERE account_id = $1`, [query.accountId]);
    return rows.length === 0 ? null : healthHistory(this.sql, query);
  }
}
