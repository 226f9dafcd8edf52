import type { AccountHealthViewRow } from './account-health.view';

/**
 * The JSON text of a page of health rows, written straight from the rows: exactly what
 * JSON.stringify({ items: rows.map(viewOfRow), nextCursor }) writes, without building the views
 * or parsing each row's factors (a 50-row page is ~49 KB; building, parsing and stringifying it
 * was most of the list routes' CPU and garbage).
 */
export function healthPageJson(rows: readonly AccountHealthViewRow[], nextCursor: string | null): string {
  // Every piece into one array of the right size, joined once: a flat string at once, not a rope
  // of thousands of concatenations, nor an array grown (and copied) as it fills.
  const parts = new Array<string>(1 + rows.length * (2 + 2 * ROW.length) + 3);
  let at = 0;
  parts[at++] = '{"items":[';
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    parts[at++] = index === 0 ? '' : ',';
    for (const [key, value] of ROW) {
      parts[at++] = key;
      parts[at++] = value(row);
    }
    parts[at++] = '}';
  }
  parts[at++] = '],"nextCursor":';
  parts[at++] = nextCursor === null ? 'null' : JSON.stringify(nextCursor);
  parts[at] = '}';
  return parts.join('');
}

/** A row's members as viewOfRow builds them, key for key and in order: what precedes each value, and the value. */
const ROW: readonly (readonly [string, (row: AccountHealthViewRow) => string])[] = [
  ['{"accountId":', (row) => text(row.account_id)],
  [',"name":', (row) => text(row.name)],
  [',"segment":', (row) => text(row.segment)],
  [',"managerId":', (row) => text(row.manager_id)],
  [',"status":', (row) => text(row.status)],
  [',"churnRisk":', (row) => num(row.churn_risk)],
  [',"band":', (row) => text(row.band)],
  [',"factors":', (row) => factorsJson(row.factors)],
  [',"satisfaction":{"latest":', (row) => num(row.satisfaction_latest)],
  [',"mean90d":', (row) => num(row.satisfaction_mean90d)],
  [',"trend":', (row) => num(row.satisfaction_trend)],
  [',"arrow":', (row) => text(row.satisfaction_arrow)],
  ['},"ltv":{"realized":', (row) => num(row.ltv_realized)],
  [',"expected":', (row) => num(row.ltv_expected)],
  [',"total":', (row) => num(row.ltv_total)],
  [',"currency":', (row) => text(row.currency)],
  [',"model":', (row) => text(row.ltv_model)],
  ['},"openComplaints":', (row) => num(row.open_complaints)],
  [',"overdueInvoices":', (row) => num(row.overdue_invoices)],
  [',"daysSinceLastContact":', (row) => num(row.days_since_last_contact)],
  [',"renewalDate":', (row) => text(row.renewal_date)],
  [',"scoringVersion":', (row) => text(row.scoring_version)],
  [',"position":', (row) => num(row.position)],
  [',"updatedAt":', (row) => text(row.updated_at)],
  [',"scoredAt":', (row) => text(row.scored_at)],
];

const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));
/** JSON.stringify's number: String() for finite numbers (-0 included), null otherwise. */
const num = (value: number | null): string => (value !== null && Number.isFinite(value) ? String(value) : 'null');

/**
 * The factors as JSON.stringify writes their value, from the column's text (FACTORS_COLUMN: jsonb's
 * text without its spaces; the names are camelCase ids, so no string holds a space). jsonb
 * writes a number with the digits it was given, which were JSON.stringify's, so they match,
 * but for values under 1e-6, which JSON.stringify writes as 1e-7 and jsonb as 0.0000001: those
 * (never seen: counts, days, scores to 2 decimals) take the long way round.
 */
export function factorsJson(compactJsonb: string): string {
  return compactJsonb.includes('0.00000') ? JSON.stringify(JSON.parse(compactJsonb)) : compactJsonb;
}
