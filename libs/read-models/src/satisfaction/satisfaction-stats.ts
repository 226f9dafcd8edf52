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
  const sorted = sortedPointsOf(samples);
  if (sorted !== null) return summarizeSorted(sorted, now, rules);
  const known = timedPoints(samples).filter((p) => p.t <= now);
  if (known.length === 0) return NO_SURVEYS;

  // `>=` keeps the array's later sample on equal instants.
  const latest = known.reduce((best, p) => (p.t >= best.t ? p : best));
  const inMean = known.filter((p) => p.t >= now - rules.meanWindowDays * DAY_MS);
  const mean = inMean.length === 0 ? null : inMean.reduce((sum, p) => sum + p.points, 0) / inMean.length;
  const inTrend = known.filter((p) => p.t >= now - rules.trendWindowDays * DAY_MS);
  const slope = theilSenSlope(inTrend.map((p) => ({ x: p.t / SLOPE_UNIT_MS, y: p.points })), MIN_TREND_PAIR_MS / SLOPE_UNIT_MS);
  return summaryOf(latest.points, mean, slope, rules);
}

const NO_SURVEYS: SatisfactionSummary = Object.freeze({ latest: null, mean90d: null, trend: null, arrow: 'flat' });

function summaryOf(latest: number, mean: number | null, slope: number | null, rules: SatisfactionStatsRules): SatisfactionSummary {
  const trend = slope === null ? null : round2(slope);
  return { latest: round2(latest), mean90d: mean === null ? null : round2(mean), trend, arrow: arrowOf(trend, rules.flatSlope) };
}

/** Parsed samples in time order, as parallel arrays; x is t in slope units. */
interface SortedPoints {
  readonly length: number;
  readonly t: readonly number[];
  readonly x: readonly number[];
  readonly points: readonly number[];
}

/**
 * Scoring summarizes the same samples at many instants (every account-day of a rebuild), and
 * the facts keep them in time order: parsed once per array, and each window is then a range.
 */
const sortedPointsCache = new WeakMap<readonly SatisfactionSample[], SortedPoints | null>();

/** Null when the parsed samples are not in time order: the general path then applies. */
function sortedPointsOf(samples: readonly SatisfactionSample[]): SortedPoints | null {
  const cached = sortedPointsCache.get(samples);
  // The length guards against an array changed in place since it was parsed.
  if (cached !== undefined && (cached === null || cached.length === samples.length)) return cached;
  const parsed = timedPoints(samples);
  const inOrder = parsed.length === samples.length && parsed.every((p, index) => index === 0 || p.t >= parsed[index - 1]!.t);
  const sorted = inOrder ? { length: samples.length, t: parsed.map((p) => p.t), x: parsed.map((p) => p.t / SLOPE_UNIT_MS), points: parsed.map((p) => p.points) } : null;
  sortedPointsCache.set(samples, sorted);
  return sorted;
}

/** As the general path computes it, over ranges: the known samples are a prefix, each window a suffix of it. */
function summarizeSorted(sorted: SortedPoints, now: number, rules: SatisfactionStatsRules): SatisfactionSummary {
  let known = sorted.length;
  // Negated so that an invalid instant (NaN) knows no sample, as the filter above.
  while (known > 0 && !(sorted.t[known - 1]! <= now)) known--;
  if (known === 0) return NO_SURVEYS;
  const meanFrom = firstAtOrAfter(sorted.t, known, now - rules.meanWindowDays * DAY_MS);
  let sum = 0;
  for (let index = meanFrom; index < known; index++) sum += sorted.points[index]!;
  const mean = meanFrom === known ? null : sum / (known - meanFrom);
  const trendFrom = firstAtOrAfter(sorted.t, known, now - rules.trendWindowDays * DAY_MS);
  const slope = theilSenRange(sorted.x, sorted.points, trendFrom, known, MIN_TREND_PAIR_MS / SLOPE_UNIT_MS);
  return summaryOf(sorted.points[known - 1]!, mean, slope, rules);
}

function firstAtOrAfter(t: readonly number[], end: number, from: number): number {
  let index = end;
  while (index > 0 && t[index - 1]! >= from) index--;
  return index;
}

/** theilSenSlope over the points [from, to) of parallel arrays. */
function theilSenRange(x: readonly number[], y: readonly number[], from: number, to: number, minDx: number): number | null {
  const slopes: number[] = [];
  for (let i = from; i < to; i++) {
    for (let j = i + 1; j < to; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0 && Math.abs(dx) >= minDx) slopes.push((y[j]! - y[i]!) / dx);
    }
  }
  return medianOf(slopes);
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
  return medianOf(slopes);
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
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
