import { InvalidEventError } from '../errors';
import { GENESIS_HASH } from '../hash-chain';
import { prepareBatch } from '../append-checks';
import { sealBatch } from '../sealed-batch';
import { assertPortable, findUnportable } from './portable-json';

describe('portable JSON (what every store can keep)', () => {
  it.each<[string, unknown, string | undefined]>([
    ['plain data', { a: 'x', b: [1, 'y', { c: null }] }, undefined],
    ['a NUL in a value', { a: 'x\u0000y' }, 'a NUL character'],
    ['a NUL in a key', { ['k\u0000']: 1 }, 'a NUL character'],
    ['a NUL deep in an array', [[{ a: ['\u0000'] }]], 'a NUL character'],
    ['a lone high surrogate', { a: 'x\ud800' }, 'a lone UTF-16 surrogate'],
    ['a lone low surrogate in a key', { ['\udc00']: 1 }, 'a lone UTF-16 surrogate'],
    ['an escaped-looking but harmless text', { a: '\\u0000' }, undefined],
    ['a surrogate pair (an emoji)', { a: '😀' }, undefined],
  ])('%s', (_, value, found) => {
    expect(findUnportable(value)).toBe(found);
  });

  it('names the event that cannot be kept', () => {
    const events = prepareBatch('s', [
      { type: 'T', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { ok: true } },
      { type: 'T', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { summary: 'a\u0000b' } },
    ]);
    const sealed = sealBatch('s', { revision: -1, hash: GENESIS_HASH }, events, new Date());
    expect(() => assertPortable(sealed)).toThrow(InvalidEventError);
    expect(() => assertPortable(sealed)).toThrow(expect.objectContaining({ field: 'events[1]' }));
    expect(() => assertPortable(sealed.slice(0, 1))).not.toThrow();
  });
});
