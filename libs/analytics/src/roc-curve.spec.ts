import { rocCurve, type ScoredOutcome } from './roc-curve';

const scored = (pairs: readonly [number, boolean][]): ScoredOutcome[] => pairs.map(([score, positive]) => ({ score, positive }));

/** The share of positive–negative pairs the positive wins, ties half: the definition, by brute force. */
function pairwiseAuc(data: readonly ScoredOutcome[]): number {
  let wins = 0;
  let pairs = 0;
  for (const positive of data.filter((d) => d.positive)) {
    for (const negative of data.filter((d) => !d.positive)) {
      pairs += 1;
      wins += positive.score > negative.score ? 1 : positive.score === negative.score ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocCurve', () => {
  it('gives 1 for a perfect ranking, 0 for a reversed one', () => {
    expect(rocCurve(scored([[0.9, true], [0.8, true], [0.3, false], [0.1, false]])).auc).toBe(1);
    expect(rocCurve(scored([[0.9, false], [0.8, false], [0.3, true], [0.1, true]])).auc).toBe(0);
  });

  it('counts a tie between a positive and a negative as half a win', () => {
    // Pairs: (0.8+ vs 0.8−) ½, (0.8+ vs 0.2−) 1, (0.5+ vs 0.8−) 0, (0.5+ vs 0.2−) 1 → 2.5 / 4.
    const data = scored([[0.8, true], [0.8, false], [0.5, true], [0.2, false]]);
    expect(rocCurve(data).auc).toBe(0.625);
    expect(rocCurve(scored([[0.4, true], [0.4, false], [0.4, true]])).auc).toBe(0.5);
  });

  it('has one point per distinct score from the highest down, from (0, 0) to (1, 1)', () => {
    const { points } = rocCurve(scored([[0.8, true], [0.8, false], [0.5, true], [0.2, false]]));
    expect(points).toEqual([
      { threshold: Infinity, tpr: 0, fpr: 0 },
      { threshold: 0.8, tpr: 0.5, fpr: 0.5 },
      { threshold: 0.5, tpr: 1, fpr: 0.5 },
      { threshold: 0.2, tpr: 1, fpr: 1 },
    ]);
  });

  it('its AUC is both the pairwise definition and the trapezoid area under its points', () => {
    const data = scored(Array.from({ length: 200 }, (_, i) => [Math.round(Math.sin(i * 7.3) * 10) / 10, Math.cos(i * 3.1) + Math.sin(i * 7.3) > 0.2]));
    const { auc, points } = rocCurve(data);
    expect(auc).toBeCloseTo(pairwiseAuc(data), 12);
    const trapezoids = points.slice(1).reduce((area, point, i) => area + ((point.fpr - points[i].fpr) * (point.tpr + points[i].tpr)) / 2, 0);
    expect(auc).toBeCloseTo(trapezoids, 12);
  });

  it('has no AUC when everyone or no one is positive, and rates of 0 for the empty class', () => {
    const allPositive = rocCurve(scored([[0.9, true], [0.2, true]]));
    expect(allPositive.auc).toBeNaN();
    expect(allPositive.points.at(-1)).toEqual({ threshold: 0.2, tpr: 1, fpr: 0 });
    const allNegative = rocCurve(scored([[0.9, false], [0.2, false]]));
    expect(allNegative.auc).toBeNaN();
    expect(allNegative.points.at(-1)).toEqual({ threshold: 0.2, tpr: 0, fpr: 1 });
    expect(rocCurve([]).points).toEqual([{ threshold: Infinity, tpr: 0, fpr: 0 }]);
  });

  it('refuses a score that is not a finite number', () => {
    expect(() => rocCurve(scored([[Number.NaN, true]]))).toThrow(/score/);
  });
});
