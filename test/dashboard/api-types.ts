/** The fields of the public API's answers that the browser tests compare the pages with. */
export type Band = 'green' | 'amber' | 'red';

export interface HealthRow {
  readonly accountId: string;
  readonly managerId: string;
  readonly churnRisk: number;
  readonly band: Band;
  readonly factors: readonly { name: string; value: number; points: number }[];
  readonly satisfaction: { arrow: 'up' | 'flat' | 'down' | null };
  readonly ltv: { realized: number; expected: number; total: number; currency: string };
  readonly scoredAt: string;
}

export interface HistoryAnswer {
  readonly interval: 'day' | 'week' | 'month';
  readonly items: readonly { period: string; churnRisk: number }[];
}

export interface HealthPage {
  readonly items: readonly HealthRow[];
  readonly nextCursor: string | null;
}

export interface PortfolioAnswer {
  readonly items: readonly { key: string; currency: string; bands: Record<Band, number>; revenueAtRisk: number; expectedLtv: number }[];
}

export interface Escalation {
  readonly escalationId: string;
  readonly accountId: string;
  readonly status: 'open' | 'acknowledged' | 'resolved';
  readonly acknowledgedBy: string | null;
}

export interface BacktestAnswer {
  readonly asOf: string;
  readonly horizonDays: number;
  readonly accounts: number;
  readonly auc: number | null;
  readonly excluded: { closed: number; renewalLost: number };
}

export const BANDS: readonly Band[] = ['green', 'amber', 'red'];
