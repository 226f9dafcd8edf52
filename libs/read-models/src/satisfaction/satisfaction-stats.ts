import type { Arrow, SatisfactionSummary } from '../query.types';
import { satisfactionPoints, type SurveyKind } from './satisfaction-scale';

/**
 * Per-account satisfaction statistics: latest, rolling mean and a robust trend. Theil–Sen
 * rather than least squares because one angry survey should not flip an account's arrow.
 */
export interface SatisfactionSample {
  /** ISO occurredAt of the survey. */
  readonly at: string;
  readonly kind: SurveyKind;
  /** Raw score: csat 1–5 or nps 0–10. */
  readonly score: number;
}

export interface SatisfactionStatsRules {
  readonly meanWindowDays: number;
  readonly trendWindowDays: number;
  /** |slope| (points per 30 days) below this reads as a flat arrow. */
  readonly flatSlope: number;
}

export const DEFAULT_SATISFACTION_STATS_RULES: SatisfactionStatsRules = {
  meanWindowDays: 90,
  trendWindowDays: 180,
  flatSlope: 2,
};

const DAY_MS = 86_400_000;
const SLOPE_UNIT_MS = 30 * DAY_MS;
/**
 * Two surveys taken less than a day apart say nothing about a trend per 30 days: their slope,
 * scaled up, would swamp the median (two answers a minute apart made −10⁹ points per 30 days).
 */
const MIN_TREND_PAIR_MS = DAY_MS;

interface TimedPoint {
  readonly t: number;
  readonly points: number;
}

/** Summary at instant `at`; samples after `at` are ignored so as-of summaries stay exact. */
export function summarizeSatisfaction(
  samples: readonly SatisfactionSample[],
  at: Date,
  rules: SatisfactionStatsRules = DEFAULT_SATISFACTION_STATS_RULES,
): SatisfactionSummary {
  const now = at.getTime();
  const known = timedPoints(samples).filter((p) => p.t <= now);
  if (known.length === 0) return { latest: null, mean90d: null, trend: null, arrow: 'flat' };

  // `>=` keeps the array's later sample on equal instants.
  const latest = known.reduce((best, p) => (p.t >= best.t ? p : best));
  const inMean = known.filter((p) => p.t >= now - rules.meanWindowDays * DAY_MS);
  const mean = inMean.length === 0 ? null : inMean.reduce((sum, p) => sum + p.points, 0) / inMean.length;
  const inTrend = known.filter((p) => p.t >= now - rules.trendWindowDays * DAY_MS);
  const slope = theilSenSlope(inTrend.map((p) => ({ x: p.t / SLOPE_UNIT_MS, y: p.points })), MIN_TREND_PAIR_MS / SLOPE_UNIT_MS);
  const trend = slope === null ? null : round2(slope);

  return { latest: round2(latest.points), mean90d: mean === null ? null : round2(mean), trend, arrow: arrowOf(trend, rules.flatSlope) };
}

/**
 * Median of pairwise slopes (Theil–Sen); pairs closer than `minDx` in x (and pairs with equal x)
 * are skipped; null when no pair is left.
 */
export function theilSenSlope(points: readonly { readonly x: number; readonly y: number }[], minDx = 0): number | null {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].x - points[i].x;
      if (dx !== 0 && Math.abs(dx) >= minDx) slopes.push((points[j].y - points[i].y) / dx);
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const middle = slopes.length >> 1;
  return slopes.length % 2 === 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2;
}

/**
 * Samples worth keeping for future summaries: those within `keepDays` of `at` (later ones
 * too), at most `max`, the newest; returned oldest first, ties in their original order.
 */
export function retainSamples(samples: readonly SatisfactionSample[], at: Date, keepDays: number, max: number): SatisfactionSample[] {
  const horizon = at.getTime() - keepDays * DAY_MS;
  const kept = samples
    .map((sample, index) => ({ sample, index, t: Date.parse(sample.at) }))
    .filter((s) => Number.isFinite(s.t) && s.t >= horizon)
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map((s) => s.sample);
  return max <= 0 ? [] : kept.slice(-max);
}

function timedPoints(samples: readonly SatisfactionSample[]): TimedPoint[] {
  return samples
    .map((s) => ({ t: Date.parse(s.at), points: satisfactionPoints(s.kind, s.score) }))
    .filter((p) => Number.isFinite(p.t));
}

function arrowOf(trend: number | null, flatSlope: number): Arrow {
  if (trend === null || Math.abs(trend) < flatSlope) return 'flat';
  return trend > 0 ? 'up' : 'down';
}

function round2(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}
