import {
  DEFAULT_SATISFACTION_STATS_RULES,
  retainSamples,
  summarizeSatisfaction,
  theilSenSlope,
  type SatisfactionSample,
} from './satisfaction-stats';

const DAY_MS = 86_400_000;
const NOW = new Date('2025-06-30T12:00:00.000Z');

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY_MS).toISOString();
}

function csat(days: number, score: number): SatisfactionSample {
  return { at: daysAgo(days), kind: 'csat', score };
}

function nps(days: number, score: number): SatisfactionSample {
  return { at: daysAgo(days), kind: 'nps', score };
}

function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const cov = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const varX = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return cov / varX;
}

describe('theilSenSlope', () => {
  it('recovers the slope of an exact line', () => {
    const line = [0, 1, 2, 3, 4, 5].map((x) => ({ x, y: 3 * x - 7 }));
    expect(theilSenSlope(line)).toBeCloseTo(3, 12);
    expect(theilSenSlope([{ x: 10, y: 5 }, { x: 0, y: 25 }])).toBe(-2);
  });

  it('takes the median of the pairwise slopes, averaging the middle two for an even count', () => {
    // slopes: (0,0)-(1,1)=1, (0,0)-(2,4)=2, (1,1)-(2,4)=3 → median 2
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 4 }])).toBe(2);
    // slopes 2, 1, 2.5, 0, 8/3, 4 → (2 + 2.5) / 2
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 2 }, { x: 4, y: 10 }])).toBe(2.25);
    // the equal-x pair (1,3)-(1,5) is skipped: slopes 3, 5, 1, -1, -3 → 1 (an infinite slope would make it 2)
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 1, y: 3 }, { x: 1, y: 5 }, { x: 2, y: 2 }])).toBe(1);
  });

  it('barely moves with one wild outlier, while least squares would', () => {
    const clean = Array.from({ length: 12 }, (_, x) => ({ x, y: 50 + x }));
    const spoiled = clean.map((p) => (p.x === 11 ? { x: 11, y: -500 } : p));
    const robust = theilSenSlope(spoiled)!;
    expect(Math.abs(robust - 1)).toBeLessThan(0.2);
    expect(Math.abs(leastSquaresSlope(spoiled) - 1)).toBeGreaterThan(10);
  });

  it('skips pairs closer than minDx', () => {
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 0.01, y: 100 }], 0.5)).toBeNull();
    expect(theilSenSlope([{ x: 0, y: 0 }, { x: 1, y: 2 }], 0.5)).toBe(2);
  });

  it('is null without a pair of distinct x', () => {
    expect(theilSenSlope([])).toBeNull();
    expect(theilSenSlope([{ x: 1, y: 2 }])).toBeNull();
    expect(theilSenSlope([{ x: 1, y: 2 }, { x: 1, y: 9 }])).toBeNull();
  });
});

describe('summarizeSatisfaction', () => {
  it('is empty and flat without samples, or with only samples after the instant', () => {
    const empty = { latest: null, mean90d: null, trend: null, arrow: 'flat' };
    expect(summarizeSatisfaction([], NOW)).toEqual(empty);
    expect(summarizeSatisfaction([csat(-1, 5)], NOW)).toEqual(empty);
  });

  it('mixes csat and nps on the 0–100 scale', () => {
    const summary = summarizeSatisfaction([csat(10, 4), nps(5, 9)], NOW);
    // csat 4 → 75, nps 9 → 90
    expect(summary.latest).toBe(90);
    expect(summary.mean90d).toBe(82.5);
  });

  it('takes the latest by time, the later array entry on a tie, and ignores the future', () => {
    expect(summarizeSatisfaction([nps(1, 2), csat(20, 5)], NOW).latest).toBe(20);
    expect(summarizeSatisfaction([nps(3, 2), nps(3, 7)], NOW).latest).toBe(70);
    expect(summarizeSatisfaction([nps(3, 2), nps(-3, 10)], NOW).latest).toBe(20);
  });

  it('averages only the last meanWindowDays but trends over trendWindowDays', () => {
    const samples = [nps(150, 0), nps(120, 2), nps(60, 6), nps(30, 8)];
    const summary = summarizeSatisfaction(samples, NOW);
    expect(summary.mean90d).toBe(70);
    // the line rises 20 points per 30 days before the last step, 20 after: median 20 per 30 days
    expect(summary.trend).toBeCloseTo(20, 6);
    expect(summary.arrow).toBe('up');

    const narrow = summarizeSatisfaction(samples, NOW, { ...DEFAULT_SATISFACTION_STATS_RULES, trendWindowDays: 45 });
    expect(narrow.trend).toBeNull();
    expect(narrow.arrow).toBe('flat');
  });

  it('has no mean when every sample is older than the mean window', () => {
    const summary = summarizeSatisfaction([nps(100, 5), nps(95, 5)], NOW);
    expect(summary).toMatchObject({ latest: 50, mean90d: null, trend: 0, arrow: 'flat' });
  });

  it('reports the slope in points per 30 days, rounded to 2 decimals', () => {
    // one csat point up (25 on the scale) over 90 days → 8.333… per 30 days
    const summary = summarizeSatisfaction([csat(90, 3), csat(0, 4)], NOW);
    expect(summary.trend).toBe(8.33);
    expect(summarizeSatisfaction([csat(90, 4), csat(0, 3)], NOW).trend).toBe(-8.33);
  });

  it('needs two distinct instants for a trend', () => {
    expect(summarizeSatisfaction([nps(5, 3), nps(5, 9)], NOW).trend).toBeNull();
  });

  it('leaves out pairs of surveys less than a day apart, whose slope per 30 days would be absurd', () => {
    const minutesAgo = (minutes: number, score: number) => ({ at: new Date(NOW.getTime() - minutes * 60_000).toISOString(), kind: 'nps' as const, score });
    expect(summarizeSatisfaction([minutesAgo(2, 9), minutesAgo(1, 2)], NOW).trend).toBeNull();
    // A day and more apart they count: 90 → 20 over 10 days is −210 per 30 days.
    expect(summarizeSatisfaction([nps(10, 9), minutesAgo(1, 2), minutesAgo(2, 2)], NOW).trend).toBeCloseTo(-210, 0);
  });

  it('turns the trend into an arrow around flatSlope', () => {
    const rules = { ...DEFAULT_SATISFACTION_STATS_RULES, flatSlope: 5 };
    // 10 points over 60 days = 5 per 30 days: exactly at the threshold is not flat
    expect(summarizeSatisfaction([nps(60, 5), nps(0, 6)], NOW, rules).arrow).toBe('up');
    expect(summarizeSatisfaction([nps(60, 6), nps(0, 5)], NOW, rules).arrow).toBe('down');
    expect(summarizeSatisfaction([nps(90, 5), nps(0, 6)], NOW, rules).arrow).toBe('flat');
    expect(summarizeSatisfaction([nps(90, 6), nps(0, 5)], NOW, rules).arrow).toBe('flat');
  });
});

describe('summarizeSatisfaction on samples in time order (parsed once, windows as ranges)', () => {
  it('answers as on the same samples out of order, at every instant', () => {
    const start = Date.parse('2024-01-01T00:00:00.000Z');
    const samples: SatisfactionSample[] = Array.from({ length: 40 }, (_, index) => ({
      at: new Date(start + index * 6.5 * 86_400_000).toISOString(),
      kind: index % 3 === 0 ? 'nps' : 'csat',
      score: index % 3 === 0 ? (index * 7) % 11 : 1 + ((index * 5) % 5),
    }));
    const unordered = [...samples].reverse();
    for (let day = -3; day < 300; day += 2) {
      const at = new Date(start + day * 86_400_000 + 3_600_000);
      expect(summarizeSatisfaction(samples, at)).toEqual(summarizeSatisfaction(unordered, at));
    }
    expect(summarizeSatisfaction(samples, new Date(Number.NaN))).toEqual(summarizeSatisfaction(unordered, new Date(Number.NaN)));
  });
});

describe('retainSamples', () => {
  it('keeps the samples within keepDays, at most max of the newest, oldest first', () => {
    const samples = [nps(5, 1), nps(400, 2), nps(1, 3), nps(30, 4), nps(10, 5)];
    expect(retainSamples(samples, NOW, 365, 10).map((s) => s.score)).toEqual([4, 5, 1, 3]);
    expect(retainSamples(samples, NOW, 365, 2).map((s) => s.score)).toEqual([1, 3]);
    expect(retainSamples(samples, NOW, 7, 10).map((s) => s.score)).toEqual([1, 3]);
    expect(retainSamples(samples, NOW, 365, 0)).toEqual([]);
  });

  it('keeps equal instants in their original order so the latest stays the latest', () => {
    const tie = [nps(2, 1), nps(2, 9)];
    const kept = retainSamples(tie, NOW, 30, 5);
    expect(kept.map((s) => s.score)).toEqual([1, 9]);
    expect(summarizeSatisfaction(kept, NOW).latest).toBe(90);
  });
});
