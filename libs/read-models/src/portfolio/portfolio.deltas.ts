import type { AccountStatus, Band, PortfolioGroupBy } from '../query.types';

/** What one account adds to the portfolio rollups, read from its account_health row. */
export interface PortfolioContribution {
  readonly managerId: string;
  readonly segment: string;
  readonly currency: string;
  readonly status: AccountStatus;
  readonly band: Band;
  /** Annual contract value, 0 without a contract. */
  readonly annualValue: number;
  readonly expectedLtv: number;
  readonly realizedLtv: number;
}

/** A change to one portfolio row; the columns are the row's, as differences. */
export interface PortfolioDelta {
  readonly groupBy: PortfolioGroupBy;
  readonly groupKey: string;
  readonly currency: string;
  readonly accounts: number;
  readonly green: number;
  readonly amber: number;
  readonly red: number;
  readonly churned: number;
  readonly closed: number;
  readonly revenueAtRisk: number;
  readonly revenueAtWatch: number;
  readonly expectedLtv: number;
  readonly realizedLtv: number;
}

const COUNTS = ['accounts', 'green', 'amber', 'red', 'churned', 'closed', 'revenueAtRisk', 'revenueAtWatch', 'expectedLtv', 'realizedLtv'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;

/**
 * The rows an account moves out of (`before`, negated) and into (`after`). Applying every
 * account's deltas keeps the rollups equal to a GROUP BY over account_health without ever
 * scanning it: a manager change moves the account from one row to another, a band change
 * moves it between columns of the same rows. `accounts` and the bands count open accounts;
 * churned and closed ones count in `churned` or `closed` only, their realized value stays in
 * the rollup.
 */
export function portfolioDeltas(before: PortfolioContribution | null, after: PortfolioContribution | null): PortfolioDelta[] {
  return [...(before === null ? [] : rowsOf(before, -1)), ...(after === null ? [] : rowsOf(after, 1))];
}

/** One delta per row, zero deltas dropped: the batch's single upsert. */
export function sumPortfolioDeltas(deltas: Iterable<PortfolioDelta>): PortfolioDelta[] {
  const rows = new Map<string, { -readonly [Field in keyof PortfolioDelta]: PortfolioDelta[Field] }>();
  for (const delta of deltas) {
    const key = JSON.stringify([delta.groupBy, delta.groupKey, delta.currency]);
    const row = rows.get(key);
    if (row === undefined) rows.set(key, { ...delta });
    else for (const count of COUNTS) row[count] += delta[count];
  }
  return [...rows.values()].filter((row) => COUNTS.some((count) => row[count] !== 0));
}

function rowsOf(contribution: PortfolioContribution, sign: 1 | -1): PortfolioDelta[] {
  const open = contribution.status === 'open';
  // Never -0: deltas are compared and summed, and -0 only confuses both.
  const signed = (value: number) => (value === 0 ? 0 : sign * value);
  const counts: Counts = {
    accounts: open ? sign : 0,
    green: open && contribution.band === 'green' ? sign : 0,
    amber: open && contribution.band === 'amber' ? sign : 0,
    red: open && contribution.band === 'red' ? sign : 0,
    churned: contribution.status === 'churned' ? sign : 0,
    closed: contribution.status === 'closed' ? sign : 0,
    revenueAtRisk: open && contribution.band === 'red' ? signed(contribution.annualValue) : 0,
    revenueAtWatch: open && contribution.band === 'amber' ? signed(contribution.annualValue) : 0,
    expectedLtv: signed(contribution.expectedLtv),
    realizedLtv: signed(contribution.realizedLtv),
  };
  const { currency } = contribution;
  return [
    { groupBy: 'manager', groupKey: contribution.managerId, currency, ...counts },
    { groupBy: 'segment', groupKey: contribution.segment, currency, ...counts },
  ];
}
