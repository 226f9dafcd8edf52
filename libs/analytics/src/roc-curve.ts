/** One scored account of a backtest: its score and whether the outcome (churn) happened. */
export interface ScoredOutcome {
  readonly score: number;
  readonly positive: boolean;
}

export interface RocPoint {
  /** Accounts scoring at or above it are flagged; +Infinity for the (0, 0) start. */
  readonly threshold: number;
  /** Share of the positives flagged (0 when there is no positive). */
  readonly tpr: number;
  /** Share of the negatives flagged (0 when there is no negative). */
  readonly fpr: number;
}

export interface RocCurve {
  /** P(a random positive outscores a random negative), ties counting half; NaN when a class is empty. */
  readonly auc: number;
  readonly points: readonly RocPoint[];
}

export function assertFiniteScores(data: readonly ScoredOutcome[]): void {
  const bad = data.find(({ score }) => !Number.isFinite(score));
  if (bad) throw new RangeError(`score must be a finite number, got ${bad.score}`);
}

/** Accounts by descending score, grouped by equal score: the thresholds of the curve. */
function groupsByDescendingScore(data: readonly ScoredOutcome[]): { score: number; positives: number; negatives: number }[] {
  const sorted = [...data].sort((a, b) => b.score - a.score);
  const groups: { score: number; positives: number; negatives: number }[] = [];
  for (const { score, positive } of sorted) {
    let group = groups.at(-1);
    if (group?.score !== score) {
      group = { score, positives: 0, negatives: 0 };
      groups.push(group);
    }
    if (positive) group.positives += 1;
    else group.negatives += 1;
  }
  return groups;
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/**
 * The ROC curve, one point per distinct score from the highest down, and its area computed
 * as the Mann–Whitney statistic (Hanley & McNeil 1982): the pairs a positive wins over the
 * pairs there are, a tie worth half — which is also the trapezoid area under these points.
 */
export function rocCurve(data: readonly ScoredOutcome[]): RocCurve {
  assertFiniteScores(data);
  const positives = data.filter((d) => d.positive).length;
  const negatives = data.length - positives;
  const points: RocPoint[] = [{ threshold: Infinity, tpr: 0, fpr: 0 }];
  let truePositives = 0;
  let falsePositives = 0;
  let wins = 0;
  for (const group of groupsByDescendingScore(data)) {
    falsePositives += group.negatives;
    wins += group.positives * (negatives - falsePositives + group.negatives / 2);
    truePositives += group.positives;
    points.push({ threshold: group.score, tpr: share(truePositives, positives), fpr: share(falsePositives, negatives) });
  }
  return { auc: positives === 0 || negatives === 0 ? NaN : wins / (positives * negatives), points };
}
