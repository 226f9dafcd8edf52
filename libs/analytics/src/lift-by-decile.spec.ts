import { liftByDecile } from './lift-by-decile';

describe('liftByDecile', () => {
  it('splits by descending score into ten groups differing in size by at most one, larger first', () => {
    const data = Array.from({ length: 23 }, (_, i) => ({ score: i, positive: i >= 20 }));
    const deciles = liftByDecile(data);
    expect(deciles.map((d) => d.accounts)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
    expect(deciles[0]).toEqual({ decile: 1, accounts: 3, positives: 3, rate: 1, lift: 1 / (3 / 23), minScore: 20, maxScore: 22 });
    expect(deciles[1]).toMatchObject({ decile: 2, positives: 0, rate: 0, lift: 0, minScore: 17, maxScore: 19 });
    expect(deciles.at(-1)).toMatchObject({ decile: 10, minScore: 0, maxScore: 1 });
  });

  it('the lifts average to 1 weighted by size', () => {
    const data = Array.from({ length: 100 }, (_, i) => ({ score: (i * 37) % 100, positive: i % 3 === 0 }));
    const deciles = liftByDecile(data);
    expect(deciles.reduce((sum, d) => sum + d.lift * d.accounts, 0) / 100).toBeCloseTo(1, 12);
  });

  it('gives a lift of 1 everywhere when everyone is positive, and 0 (not NaN) when no one is', () => {
    const scores = Array.from({ length: 20 }, (_, i) => i);
    expect(liftByDecile(scores.map((score) => ({ score, positive: true }))).map((d) => d.lift)).toEqual(Array(10).fill(1));
    expect(liftByDecile(scores.map((score) => ({ score, positive: false }))).map((d) => d.lift)).toEqual(Array(10).fill(0));
  });

  it('splits tied scores at a boundary by position, so every group keeps its size', () => {
    const deciles = liftByDecile(Array.from({ length: 20 }, () => ({ score: 0.5, positive: false })));
    expect(deciles.map((d) => d.accounts)).toEqual(Array(10).fill(2));
  });

  it('has fewer groups than ten accounts, none empty', () => {
    const deciles = liftByDecile([{ score: 0.3, positive: true }, { score: 0.9, positive: false }]);
    expect(deciles).toEqual([
      { decile: 1, accounts: 1, positives: 0, rate: 0, lift: 0, minScore: 0.9, maxScore: 0.9 },
      { decile: 2, accounts: 1, positives: 1, rate: 1, lift: 2, minScore: 0.3, maxScore: 0.3 },
    ]);
    expect(liftByDecile([])).toEqual([]);
  });
});
