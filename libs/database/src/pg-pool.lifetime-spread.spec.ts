import { connectionLifetime } from './connection-lifetime';

describe('connectionLifetime', () => {
  it('draws each connection a lifetime between 90 % of the configured one and all of it, in whole seconds', () => {
    expect(connectionLifetime(600, 0)).toBe(540);
    expect(connectionLifetime(600, 0.5)).toBe(570);
    expect(connectionLifetime(600, 0.999)).toBe(600);
    const drawn = Array.from({ length: 200 }, () => connectionLifetime(600));
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(540);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(600);
    // Spread, not one value for every connection of a pool.
    expect(new Set(drawn).size).toBeGreaterThan(10);
  });

  it('keeps no limit as no limit and never rounds a short lifetime down to none', () => {
    expect(connectionLifetime(0, 0.3)).toBe(0);
    expect(connectionLifetime(1, 0)).toBe(1);
    expect(connectionLifetime(1, 0.99)).toBe(1);
  });
});
