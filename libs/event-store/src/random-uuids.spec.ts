import { randomUUID } from 'node:crypto';
import { randomUuids } from './random-uuids';

/** What crypto.randomUUID writes: lowercase, version 4, RFC 4122 variant. */
const VERSION_4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomUuids', () => {
  it('writes version 4 UUIDs as crypto.randomUUID does', () => {
    expect(randomUUID()).toMatch(VERSION_4);
    const uuids = randomUuids(2000);
    expect(uuids).toHaveLength(2000);
    for (const uuid of uuids) expect(uuid).toMatch(VERSION_4);
  });

  it('never repeats, within a draw or across draws', () => {
    const uuids = [...randomUuids(1000), ...randomUuids(1000)];
    expect(new Set(uuids).size).toBe(2000);
  });

  it('never repeats across many small draws, larger ones and the refills of its pool in between', () => {
    const uuids = [
      ...Array.from({ length: 700 }, () => randomUuids(1)[0]!),
      ...randomUuids(255), ...randomUuids(300), ...randomUuids(3),
      ...Array.from({ length: 300 }, () => randomUuids(2)).flat(),
    ];
    expect(uuids).toHaveLength(1858);
    expect(new Set(uuids).size).toBe(uuids.length);
    for (const uuid of uuids) expect(uuid).toMatch(VERSION_4);
  });

  it('uses every hex digit in the random positions', () => {
    const digits = new Set(randomUuids(200).flatMap((uuid) => [...uuid.replace(/-/g, '').slice(0, 12)]));
    expect([...digits].sort().join('')).toBe('0123456789abcdef');
  });

  it('answers nothing for a count of zero', () => {
    expect(randomUuids(0)).toEqual([]);
  });
});
