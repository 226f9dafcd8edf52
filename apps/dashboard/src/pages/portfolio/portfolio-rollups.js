// Sums over the portfolio rollups (one row per group and currency; amounts never mix currencies).
import { BANDS } from '../../lib/format.js';

const emptyTotals = () => ({ open: 0, churned: 0, closed: 0, bands: { green: 0, amber: 0, red: 0 }, money: new Map() });

function addMoney(totals, item) {
  const sums = totals.money.get(item.currency) ?? { redAccounts: 0, revenueAtRisk: 0, revenueAtWatch: 0, expectedLtv: 0, realizedLtv: 0 };
  // The red accounts of this currency: those its revenueAtRisk is made of.
  sums.redAccounts += item.bands.red;
  sums.revenueAtRisk += item.revenueAtRisk;
  sums.revenueAtWatch += item.revenueAtWatch;
  sums.expectedLtv += item.expectedLtv;
  sums.realizedLtv += item.realizedLtv;
  totals.money.set(item.currency, sums);
}

function add(totals, item) {
  for (const band of BANDS) totals.bands[band] += item.bands[band];
  totals.open += BANDS.reduce((sum, band) => sum + item.bands[band], 0);
  totals.churned += item.churned;
  totals.closed += item.closed;
  addMoney(totals, item);
  return totals;
}

/** Totals of every group (each account is in exactly one group of a groupBy). */
export const portfolioTotals = (items) => items.reduce(add, emptyTotals());

/** Totals per group key, currencies kept apart in `money`. */
export function totalsByKey(items) {
  const byKey = new Map();
  for (const item of items) byKey.set(item.key, add(byKey.get(item.key) ?? emptyTotals(), item));
  return byKey;
}

/** The currency with the largest expected LTV: the one the cards and charts show first. */
export function mainCurrency(totals) {
  let best;
  for (const [currency, sums] of totals.money) {
    if (best === undefined || sums.expectedLtv > totals.money.get(best).expectedLtv) best = currency;
  }
  return best ?? 'EUR';
}

/**
 * How many rows a filter of the table matches, when the rollups can tell (open accounts, at
 * most one of manager and segment); undefined otherwise.
 */
export function matchingCount({ band, managerId, segment, status }, { totals, byManager, bySegment }) {
  if (status !== 'open' || (managerId && segment)) return undefined;
  const scope = managerId ? byManager?.get(managerId) : segment ? bySegment?.get(segment) : totals;
  if (!scope) return undefined;
  return band ? scope.bands[band] : scope.open;
}
