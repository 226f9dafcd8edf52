import { SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and stream, and differs across seeds and streams', () => {
    const draw = (seed: number, stream: number) => {
      const random = new SeededRandom(seed, stream);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 0)).not.toEqual(draw(2, 0));
    expect(draw(1, 0)).not.toEqual(draw(1, 1));
  });

  it('draws uniformly enough in [0, 1) and keeps int() within its bounds', () => {
    const random = new SeededRandom(42);
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
    const ints = new Set(Array.from({ length: 1_000 }, () => random.int(3, 5)));
    expect(ints).toEqual(new Set([3, 4, 5]));
  });

  it('draws normals with the asked mean and spread', () => {
    const random = new SeededRandom(7);
    const values = Array.from({ length: 20_000 }, () => random.normal(2, 0.5));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(0.5, 1);
  });
});
