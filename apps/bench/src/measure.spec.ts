import { formatMs, formatP99Runs, latencies, medianLatencies, msText, p99Spread, ratioText, windowedLatencies } from './measure';

describe('windowedLatencies', () => {
  it('takes each consecutive window\'s percentiles apart and reports their median, the worst max and every window\'s p99', () => {
    // Three windows of 100 samples: 1..100 ms, then a slow stretch (101..200), then 1..100 again.
    const fast = Array.from({ length: 100 }, (_, index) => index + 1);
    const slow = fast.map((ms) => ms + 100);
    const result = windowedLatencies([...fast, ...slow, ...fast], 3);
    expect(result).toEqual({ count: 300, p50: 50, p99: 99, max: 200, p99Runs: [99, 199, 99] });
    // Pooled, the slow stretch would be the p99 of the whole: the windows show it as one run of three.
    expect(latencies([...fast, ...slow, ...fast]).p99).toBe(197);
  });

  it('is the pooled percentiles for one window, and never cuts more windows than samples', () => {
    const samples = [5, 1, 4, 2, 3];
    expect(windowedLatencies(samples, 1)).toEqual({ ...latencies(samples), p99Runs: [5] });
    expect(windowedLatencies([7, 9], 3).p99Runs).toEqual([7, 9]);
  });

  it('cuts uneven counts into windows that differ by one sample at most', () => {
    const result = windowedLatencies(Array.from({ length: 10 }, (_, index) => index), 3);
    expect(result.count).toBe(10);
    // Windows [0,1,2], [3..6], [7,8,9] (rounded boundaries 0, 3, 7, 10).
    expect(result.p99Runs).toEqual([2, 6, 9]);
  });
});

describe('medianLatencies', () => {
  it('keeps the median p50 and p99 of the runs, the worst max and the total count', () => {
    const runs = [[1, 2, 30], [2, 3, 10], [3, 4, 20]].map((values) => ({ latency: latencies(values) }));
    expect(medianLatencies(runs)).toEqual({ count: 9, p50: 3, p99: 20, max: 30, p99Runs: [30, 10, 20] });
  });
});

describe('p99Spread and formatP99Runs', () => {
  it('span the runs\' measured p99s, leaving out what JSON wrote as null, and need two of them', () => {
    const latency = { count: 3, p50: 1, p99: 20, max: 30 };
    expect(p99Spread({ ...latency, p99Runs: [30, null as unknown as number, 10, 20] })).toEqual({ low: 10, high: 30 });
    expect(p99Spread({ ...latency, p99Runs: [20] })).toBeNull();
    expect(p99Spread(latency)).toBeNull();
    expect(p99Spread(undefined)).toBeNull();
    expect(formatP99Runs([144.2, 70.6, 51])).toBe('144 / 71 / 51 ms');
    expect(formatP99Runs([144, 12_500])).toBe('144 ms / 12.5 s');
  });

  it('leaves an empty load as pooled percentiles of nothing', () => {
    expect(windowedLatencies([], 3)).toEqual(latencies([]));
  });
});

describe('formatMs and msText', () => {
  it('round to whole ms, keeping the decimals that show a figure misses its bound', () => {
    expect(formatMs(10.48)).toBe('10 ms');
    expect(formatMs(10.48, 10)).toBe('10.5 ms');
    expect(formatMs(10.04, 10)).toBe('10.04 ms');
    expect(formatMs(10.0004, 10)).toBe('10.000 ms');
    // Met, or missed by more than the rounding: whole ms as always.
    expect(formatMs(9.6, 10)).toBe('10 ms');
    expect(formatMs(12.4, 10)).toBe('12 ms');
    expect(formatMs(12_500, 10)).toBe('12.5 s');
    expect(msText(9.96, 1, 9.9)).toBe('10.0');
    expect(msText(9.92, 1, 9.9)).toBe('9.92');
  });
});

describe('ratioText', () => {
  it('rounds to two decimals, keeping those that show a ratio falls short of its minimum', () => {
    expect(ratioText(0.3953)).toBe('0.40');
    expect(ratioText(0.3953, 0.4)).toBe('0.395');
    expect(ratioText(0.39996, 0.4)).toBe('0.3999');
    // Met, or short by more than the rounding: two decimals as always.
    expect(ratioText(0.4049, 0.4)).toBe('0.40');
    expect(ratioText(0.4, 0.4)).toBe('0.40');
    expect(ratioText(0.3849, 0.4)).toBe('0.38');
  });
});
