/**
 * The shapes the query API serves (API.md "Queries"), shared by the read models that
 * produce them and the controllers that serve them.
 */
export const BANDS = ['green', 'amber', 'red'] as const;
export type Band = (typeof BANDS)[number];
export type Arrow = 'up' | 'flat' | 'down';

export interface ChurnRiskFactor {
  /** Stable camelCase id of the rule, e.g. `openComplaints`, `daysSinceLastContact`. */
  readonly name: string;
  /** What was measured (a count, days, a score, a slope); null when nothing could be measured. */
  readonly value: number | null;
  /** Points this factor adds to churnRisk; the points of all factors add up to churnRisk exactly. */
  readonly points: number;
}

export interface SatisfactionSummary {
  /** On the 0–100 scale (csat 1–5 → 0–100, nps 0–10 → 0–100); null before the first survey. */
  readonly latest: number | null;
  readonly mean90d: number | null;
  /** Theil–Sen slope, points per 30 days; null with fewer than two surveys in the window. */
  readonly trend: number | null;
  readonly arrow: Arrow;
}

export interface LtvSummary {
  readonly realized: number;
  readonly expected: number;
  readonly total: number;
  readonly currency: string;
  /**
   * Which model produced `expected`: `sbg` (remaining contract + DERL × annual value),
   * `bgnbd-gamma-gamma` (discounted expected purchases × expected spend), `contract` (remaining
   * contract only: a lost renewal, or no sBG fit for the segment yet) or `none` (closed, or
   * nothing to go on): the values of LtvModelName.
   */
  readonly model: string;
}

export const ACCOUNT_STATUSES = ['open', 'churned', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface AccountHealthView {
  readonly accountId: string;
  readonly name: string;
  readonly segment: string;
  readonly managerId: string;
  /** `open`; `churned` from the day after the contract's end once its renewal is lost; `closed` (AccountClosed). */
  readonly status: AccountStatus;
  readonly churnRisk: number;
  readonly band: Band;
  readonly factors: readonly ChurnRiskFactor[];
  readonly satisfaction: SatisfactionSummary;
  readonly ltv: LtvSummary;
  readonly openComplaints: number;
  readonly overdueInvoices: number;
  readonly daysSinceLastContact: number | null;
  /** YYYY-MM-DD: the contract's end (its renewal date); null without a contract. */
  readonly renewalDate: string | null;
  readonly scoringVersion: string;
  /** Global position of the last event folded into this row. */
  readonly position: number;
  /** recordedAt of that event. */
  readonly updatedAt: string;
  /** The instant the time-based factors were evaluated at. */
  readonly scoredAt: string;
}

export const HEALTH_SORT_KEYS = ['churnRisk', 'accountId', 'name', 'daysSinceLastContact', 'ltvTotal', 'renewalDate', 'updatedAt'] as const;
export type HealthSortKey = (typeof HEALTH_SORT_KEYS)[number];

export interface HealthListQuery {
  readonly band?: Band;
  readonly managerId?: string;
  readonly segment?: string;
  readonly status?: AccountStatus;
  readonly minRisk?: number;
  readonly maxRisk?: number;
  /** ISO 4217 code. */
  readonly currency?: string;
  readonly sort: { readonly key: HealthSortKey; readonly descending: boolean };
  /** 1..1000 */
  readonly limit: number;
  /** Opaque, from a previous page's nextCursor. */
  readonly cursor?: string;
}

export interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextCursor: string | null;
}

/** A page of health rows as the JSON text of its Page<AccountHealthView>, and its cursor (for the Link header). */
export interface HealthListJson {
  /** Exactly JSON.stringify({ items, nextCursor }) of the page list() gives. */
  readonly json: string;
  readonly nextCursor: string | null;
}

export type HistoryInterval = 'day' | 'week' | 'month';

export interface HealthHistoryPoint {
  /** YYYY-MM-DD: first day of the bucket (the day, the ISO week's Monday, the month's 1st). */
  readonly period: string;
  readonly churnRisk: number;
  readonly band: Band;
  readonly satisfaction: { readonly latest: number | null; readonly mean90d: number | null };
  readonly ltv: { readonly realized: number; readonly expected: number; readonly total: number };
  readonly position: number;
}

export interface HealthHistoryQuery {
  readonly accountId: string;
  /** Inclusive YYYY-MM-DD bounds on the day. */
  readonly from?: string;
  readonly to?: string;
  readonly interval: HistoryInterval;
}

export type TrendGroupBy = 'account' | 'segment' | 'manager';
export type TrendInterval = 'week' | 'month';

export interface SatisfactionTrendPoint {
  readonly groupBy: TrendGroupBy;
  readonly key: string;
  readonly interval: TrendInterval;
  /** YYYY-MM-DD, first day of the week (Monday) or month. */
  readonly period: string;
  readonly responses: number;
  /** Mean on the 0–100 scale. */
  readonly mean: number;
  readonly csat: { readonly responses: number; readonly mean: number | null };
  /** Net Promoter Score (-100..100) of the nps responses. */
  readonly nps: { readonly responses: number; readonly promoters: number; readonly detractors: number; readonly score: number | null };
}

export interface SatisfactionTrendQuery {
  readonly groupBy: TrendGroupBy;
  readonly interval: TrendInterval;
  /** Only this account / segment / manager. */
  readonly key?: string;
  readonly from?: string;
  readonly to?: string;
}

export type PortfolioGroupBy = 'manager' | 'segment';

export interface PortfolioRollup {
  readonly groupBy: PortfolioGroupBy;
  readonly key: string;
  readonly currency: string;
  readonly accounts: number;
  /** Open accounts, in all and per band. */
  readonly bands: { readonly green: number; readonly amber: number; readonly red: number };
  /** Accounts churned at their contract's end after a lost renewal, and not closed. */
  readonly churned: number;
  readonly closed: number;
  /** Annual contract value of open accounts in the red band, minor units. */
  readonly revenueAtRisk: number;
  /** Annual contract value of open accounts in the amber band, minor units. */
  readonly revenueAtWatch: number;
  readonly expectedLtv: number;
  readonly realizedLtv: number;
}
