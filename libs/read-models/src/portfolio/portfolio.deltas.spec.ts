import fc from 'fast-check';
import { ACCOUNT_STATUSES, BANDS } from '../query.types';
import { portfolioDeltas, sumPortfolioDeltas, type PortfolioContribution, type PortfolioDelta } from './portfolio.deltas';

const contribution = fc.record({
  managerId: fc.constantFrom('m1', 'm2', 'm3'),
  segment: fc.constantFrom('smb', 'enterprise'),
  currency: fc.constantFrom('EUR', 'USD'),
  status: fc.constantFrom(...ACCOUNT_STATUSES),
  band: fc.constantFrom(...BANDS),
  annualValue: fc.nat(1_000_000),
  expectedLtv: fc.nat(1_000_000),
  realizedLtv: fc.nat(1_000_000),
});

/** The rollups straight from a set of accounts: what the deltas must always add up to. */
const rollupsOf = (accounts: readonly PortfolioContribution[]) => sumPortfolioDeltas(accounts.flatMap((account) => portfolioDeltas(null, account)));

const sorted = (rows: readonly PortfolioDelta[]) => [...rows].sort((a, b) => JSON.stringify([a.groupBy, a.groupKey, a.currency]).localeCompare(JSON.stringify([b.groupBy, b.groupKey, b.currency])));

describe('portfolioDeltas', () => {
  const account: PortfolioContribution = { managerId: 'm1', segment: 'smb', currency: 'EUR', status: 'open', band: 'red', annualValue: 1200, expectedLtv: 800, realizedLtv: 500 };

  it('adds an open account to its manager and segment rows, its annual value at risk when red', () => {
    const [manager, segment] = portfolioDeltas(null, account);
    const counts = { accounts: 1, green: 0, amber: 0, red: 1, churned: 0, closed: 0, revenueAtRisk: 1200, revenueAtWatch: 0, expectedLtv: 800, realizedLtv: 500 };
    expect(manager).toEqual({ groupBy: 'manager', groupKey: 'm1', currency: 'EUR', ...counts });
    expect(segment).toEqual({ groupBy: 'segment', groupKey: 'smb', currency: 'EUR', ...counts });
  });

  it('moves an account between manager rows when its manager changes, leaving its segment row alone', () => {
    const moved = sumPortfolioDeltas(portfolioDeltas(account, { ...account, managerId: 'm2' }));
    expect(moved.map((row) => [row.groupBy, row.groupKey, row.accounts, row.red, row.revenueAtRisk])).toEqual([
      ['manager', 'm1', -1, -1, -1200],
      ['manager', 'm2', 1, 1, 1200],
    ]);
  });

  it('counts a closed account in closed only, keeping its realized value', () => {
    const [manager] = sumPortfolioDeltas(portfolioDeltas(account, { ...account, status: 'closed', expectedLtv: 0 }));
    expect(manager).toMatchObject({ accounts: -1, red: -1, churned: 0, closed: 1, revenueAtRisk: -1200, expectedLtv: -800, realizedLtv: 0 });
  });

  it('counts a churned account in churned only, and moves it to closed when it is closed', () => {
    const churned = { ...account, status: 'churned' as const, expectedLtv: 0 };
    const [manager] = sumPortfolioDeltas(portfolioDeltas(account, churned));
    expect(manager).toMatchObject({ accounts: -1, red: -1, churned: 1, closed: 0, revenueAtRisk: -1200, expectedLtv: -800, realizedLtv: 0 });
    const [closing] = sumPortfolioDeltas(portfolioDeltas(churned, { ...churned, status: 'closed' }));
    expect(closing).toMatchObject({ accounts: 0, churned: -1, closed: 1 });
  });

  it('keeps rollups equal to a fresh GROUP BY through any sequence of before/after changes', () => {
    fc.assert(
      fc.property(fc.array(contribution, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), contribution)), (initial, changes) => {
        const accounts = [...initial];
        const applied: PortfolioDelta[] = rollupsOf(accounts);
        for (const [index, after] of changes) {
          const slot = index % accounts.length;
          applied.push(...portfolioDeltas(accounts[slot]!, after));
          accounts[slot] = after;
        }
        expect(sorted(sumPortfolioDeltas(applied))).toEqual(sorted(rollupsOf(accounts)));
      }),
    );
  });

  it('drops rows whose deltas cancel out', () => {
    expect(sumPortfolioDeltas(portfolioDeltas(account, account))).toEqual([]);
  });
});
