import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('keeps the most recently used entries, dropping the least recently used first', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([1, undefined, 3]);
    map.set('a', 10);
    map.set('d', 4);
    expect([map.get('a'), map.get('c'), map.get('d'), map.size]).toEqual([10, undefined, 4, 2]);
    map.delete('a');
    expect([map.get('a'), map.size]).toEqual([undefined, 1]);
  });

  it('evicts down to a sixteenth under a larger capacity at once, the least recently used first', () => {
    const map = new LruMap<number, number>(64);
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    for (const key of range(0, 64)) map.set(key, key);
    expect(map.get(0)).toBe(0);
    map.set(64, 64);
    // 65 entries: down to 60, so the five least recently used (1-5) go; 0 was used since.
    expect(map.snapshot().map(([key]) => key)).toEqual([...range(6, 64), 0, 64]);
    for (const key of range(65, 69)) map.set(key, key);
    expect(map.size).toBe(64);
    map.set(69, 69);
    expect(map.snapshot().map(([key]) => key)).toEqual([...range(11, 64), 0, ...range(64, 70)]);
  });

  it('refuses a capacity that keeps nothing', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
