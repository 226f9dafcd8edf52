import { assertFiniteScores, type ScoredOutcome } from './roc-curve';

export interface DecileLift {
  /** 1 holds the highest scores. */
  readonly decile: number;
  readonly accounts: number;
  readonly positives: number;
  /** positives / accounts. */
  readonly rate: number;
  /** rate / the overall rate; 0 when nothing at all was positive. */
  readonly lift: number;
  readonly minScore: number;
  readonly maxScore: number;
}

const DECILES = 10;

/**
 * Accounts split by descending score into ten groups whose sizes differ by at most one (the
 * larger ones first); equal scores straddling a boundary are split in input order, so each
 * group's size is what its rate is taken over. Fewer than ten accounts give fewer groups:
 * an empty decile has no rate to report.
 */
export function liftByDecile(data: readonly ScoredOutcome[]): readonly DecileLift[] {
  assertFiniteScores(data);
  const sorted = [...data].sort((a, b) => b.score - a.score);
  const overallRate = sorted.length === 0 ? 0 : sorted.filter((d) => d.positive).length / sorted.length;
  const smallest = Math.floor(sorted.length / DECILES);
  const larger = sorted.length % DECILES;
  const deciles: DecileLift[] = [];
  let start = 0;
  for (let decile = 1; decile <= DECILES; decile += 1) {
    const size = smallest + (decile <= larger ? 1 : 0);
    if (size === 0) break;
    const group = sorted.slice(start, start + size);
    start += size;
    const positives = group.filter((d) => d.positive).length;
    const rate = positives / size;
    deciles.push({
      decile,
      accounts: size,
      positives,
      rate,
      lift: overallRate === 0 ? 0 : rate / overallRate,
      minScore: group[size - 1].score,
      maxScore: group[0].score,
    });
  }
  return deciles;
}
