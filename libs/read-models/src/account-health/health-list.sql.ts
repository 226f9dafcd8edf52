import type { HealthListQuery, HealthSortKey } from '../query.types';
import { sortValueTextSql, type HealthCursor, type SortValueType } from './health-cursor';

/** Column and SQL type of each sort key; the type turns a cursor's text back into a value. */
const SORT_COLUMNS: Readonly<Record<HealthSortKey, { readonly column: string; readonly type: SortValueType; readonly nullable: boolean }>> = {
  churnRisk: { column: 'churn_risk', type: 'integer', nullable: false },
  accountId: { column: 'account_id', type: 'text', nullable: false },
  name: { column: 'name', type: 'text', nullable: false },
  daysSinceLastContact: { column: 'days_since_last_contact', type: 'integer', nullable: true },
  ltvTotal: { column: 'ltv_total', type: 'bigint', nullable: false },
  renewalDate: { column: 'renewal_date', type: 'date', nullable: true },
  updatedAt: { column: 'updated_at', type: 'timestamptz', nullable: false },
};

/** The list's query with its currency filter: only rows in this ISO 4217 currency (amounts compare only within one). */

/** The SQL type a cursor's value must be the text of, for this sort key. */
export const sortValueType = (key: HealthSortKey): SortValueType => SORT_COLUMNS[key].type;

export interface HealthListStatement {
  readonly text: string;
  readonly params: unknown[];
  /** Prepared-statement name on PostgreSQL, or undefined (see preparedNameOf). */
  readonly name: string | undefined;
}

/** Distinct list statements prepared per process: the usual few shapes, bounded whatever the clients send. */
export const MAX_PREPARED_LISTS = 64;
const preparedNames = new Map<string, string>();

/**
 * A name per distinct text (filters, sort and cursor shape decide it; values are parameters),
 * so PostgreSQL parses and plans a list query once per connection instead of per request.
 * Shapes past MAX_PREPARED_LISTS run unnamed, so odd combinations cannot pile up plans.
 */
function preparedNameOf(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known !== undefined || preparedNames.size >= MAX_PREPARED_LISTS) return known;
  const name = `ahe_health_list_${preparedNames.size}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Keyset pagination, NULLs last in both directions, ties broken by ascending account_id: a
 * page starts strictly after the previous page's last row, so a walk sees every row once.
 * NULLS LAST is spelled out only on nullable columns, where it changes the order: on the
 * others it would keep the planner from the (churn_risk DESC, account_id) indexes.
 */
export function healthListStatement(table: string, selected: string, query: HealthListQuery, cursor: HealthCursor | null): HealthListStatement {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.band !== undefined) where.push(`band = ${bind(query.band)}`);
  if (query.managerId !== undefined) where.push(`manager_id = ${bind(query.managerId)}`);
  if (query.segment !== undefined) where.push(`segment = ${bind(query.segment)}`);
  if (query.status !== undefined) where.push(`status = ${bind(query.status)}`);
  if (query.currency !== undefined) where.push(`currency = ${bind(query.currency)}`);
  // churn_risk is an integer: a fractional bound is rounded inward (same rows), which keeps the
  // parameter an integer for PostgreSQL and the comparison on the column's own index.
  if (query.minRisk !== undefined) where.push(`churn_risk >= ${bind(Math.ceil(query.minRisk))}`);
  if (query.maxRisk !== undefined) where.push(`churn_risk <= ${bind(Math.floor(query.maxRisk))}`);
  const { column, type, nullable } = SORT_COLUMNS[query.sort.key];
  const direction = query.sort.descending ? 'DESC' : 'ASC';
  const after = query.sort.descending ? '<' : '>';
  if (cursor !== null) {
    const id = bind(cursor.accountId);
    if (cursor.value === null) {
      where.push(`(${column} IS NULL AND account_id > ${id})`);
    } else {
      const value = `${bind(cursor.value)}::${type}`;
      const orNull = nullable ? ` OR ${column} IS NULL` : '';
      where.push(`(${column} ${after} ${value} OR (${column} = ${value} AND account_id > ${id})${orNull})`);
    }
  }
  // What the next page's cursor is made of, whatever else is selected.
  const text = `SELECT ${selected}, ${sortValueTextSql(column, type)} AS sort_value, account_id AS sort_account_id FROM ${table}
    ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
    ORDER BY ${column} ${direction}${nullable ? ' NULLS LAST' : ''}, account_id
    LIMIT ${bind(query.limit + 1)}`;
  return { text, params, name: preparedNameOf(text) };
}
