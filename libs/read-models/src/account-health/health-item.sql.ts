import { isoInstantSql } from '../scoring/utc-calendar';
import { COMPACT_FACTORS } from './account-health.view';

/**
 * A health list page's JSON, written by the database: each row's item as JSON text (ITEM_COLUMN),
 * which the API joins into the page without reading a column of it. Read as columns, a 50-row
 * page was 1,275 values for the driver to parse (on the embedded store, on PGlite's thread, and
 * copied across to the caller's) and for the API to write out again: with the items written by
 * the database, the embedded store's API spends a quarter to a third less CPU a page, and on
 * PostgreSQL the API's thread a fifth to a half less, the backend taking on part of it
 * (docs/benchmarks-journal.md, "List pages written by the database").
 *
 * The text is what JSON.stringify writes for the row's view (viewOfRow), key for key and byte
 * for byte: the keys in the view's order, strings escaped by to_json as JSON.stringify escapes
 * them, numbers in their shortest form. Where the two write a number differently (exponents,
 * 16 digits and more, values under 1e-6), jsIdentical rewrites the item in JavaScript.
 */

/** A JSON string, or null: NOT NULL columns too, as an `infinity` timestamp's to_char is null (concat would drop it). */
const text = (expression: string) => `coalesce(to_json(${expression})::text, 'null')`;
const integer = (column: string) => `coalesce(${column}::text, 'null')`;
/**
 * float8's text, as list() reads the column (VIEW_COLUMNS), so that both follow the server's
 * extra_float_digits alike; null where it is not finite, as JSON.stringify writes NaN.
 */
const float = (column: string) => `CASE WHEN abs(${column}::float8) < 'Infinity' THEN ${column}::float8::text ELSE 'null' END`;

/** Each member as the key's JSON (with what precedes it) and the SQL of its value's JSON text, in viewOfRow's order. */
const MEMBERS: readonly (readonly [string, string])[] = [
  ['{"accountId":', text('account_id')],
  [',"name":', text('name')],
  [',"segment":', text('segment')],
  [',"managerId":', text('manager_id')],
  [',"status":', text('status')],
  [',"churnRisk":', integer('churn_risk')],
  [',"band":', text('band')],
  [',"factors":', COMPACT_FACTORS],
  [',"satisfaction":{"latest":', float('satisfaction_latest')],
  [',"mean90d":', float('satisfaction_mean90d')],
  [',"trend":', float('satisfaction_trend')],
  [',"arrow":', text('satisfaction_arrow')],
  ['},"ltv":{"realized":', float('ltv_realized')],
  [',"expected":', float('ltv_expected')],
  [',"total":', float('ltv_total')],
  [',"currency":', text('currency')],
  [',"model":', text('ltv_model')],
  ['},"openComplaints":', integer('open_complaints')],
  [',"overdueInvoices":', integer('overdue_invoices')],
  [',"daysSinceLastContact":', integer('days_since_last_contact')],
  [',"renewalDate":', text(`to_char(renewal_date, 'YYYY-MM-DD')`)],
  [',"scoringVersion":', text('scoring_version')],
  [',"position":', float('position')],
  [',"updatedAt":', text(isoInstantSql('updated_at'))],
  [',"scoredAt":', text(isoInstantSql('scored_at'))],
];

/** The row's item as JSON text, selected as `item` (51 arguments of concat's 100 at most). */
export const ITEM_COLUMN = `concat(${MEMBERS.map(([key, value]) => `'${key}', ${value}`).join(', ')}, '}') AS item`;

/**
 * Numbers the database writes otherwise than JSON.stringify: float8 with an exponent (from 1e15,
 * under 1e-4: `1e-05` where JavaScript writes 0.00001; with fewer digits, from fewer), and the
 * factors' numeric in full past 2^53 and from 1e21, and under 1e-6 (0.0000001 for 1e-7). A string
 * that looks like one only costs the rewrite, which is exact for any item.
 */
export function mayBeWrittenOtherwise(item: string): boolean {
  return EXPONENT_OR_TINY.test(item) || hasDigitRun(item, LONG_DIGIT_RUN);
}

/** Float8 with an exponent, numeric under 1e-6; the long numerics are LONG_DIGIT_RUN digits in a row. */
const EXPONENT_OR_TINY = /\de[+-]|0\.00000/;
const LONG_DIGIT_RUN = 16;

/**
 * Whether `length` digits stand in a row. Each window of that length is read from its end, and a
 * non-digit moves the next window past it, so most characters are never read; the regex `\d{16}`
 * tries every start, which on a list page was a large share of the API's CPU
 * (docs/benchmarks-journal.md, "The list pages' number check").
 */
function hasDigitRun(text: string, length: number): boolean {
  let end = length - 1;
  while (end < text.length) {
    let at = end;
    while (at > end - length && isDigit(text.charCodeAt(at))) at--;
    if (at === end - length) return true;
    end = at + length;
  }
  return false;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The item as JSON.stringify writes it. */
export function jsIdentical(item: string): string {
  return mayBeWrittenOtherwise(item) ? JSON.stringify(JSON.parse(item)) : item;
}

/** The page's JSON text from its items: JSON.stringify({ items, nextCursor }) of their views. */
export function healthPageJson(items: readonly string[], nextCursor: string | null): string {
  return `{"items":[${items.map(jsIdentical).join(',')}],"nextCursor":${nextCursor === null ? 'null' : JSON.stringify(nextCursor)}}`;
}
