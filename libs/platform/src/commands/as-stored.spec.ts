import { asStored } from './as-stored';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('asStored', () => {
  it.each([
    ['a flat record', { channel: 'call', direction: 'outbound', summary: 'QBR \u{1F600} "quoted"', sentiment: 0.4, done: true, note: null }],
    ['integer-like keys first, as JSON orders them', { b: 1, 2: 'two', a: 'x', 1: 'one' }],
    ['undefined members dropped', { kind: 'nps', score: 9, comment: undefined }],
    ['-0, NaN and Infinity', { zero: -0, nan: Number.NaN, inf: Number.POSITIVE_INFINITY }],
    ['nested objects and arrays', { lines: [{ sku: 'a', amount: 1.5 }], meta: { at: new Date(0) } }],
    ['a Date member', { at: new Date('2026-01-02T03:04:05.006Z') }],
    ['a lone surrogate', { text: 'a\uD800b' }],
    ['an array', [1, 'two', null]],
    ['a scalar', 'text'],
    ['an empty record', {}],
  ])('gives what the JSON round trip gives: %s', (_name, value) => {
    const stored = asStored(value);
    expect(stored).toStrictEqual(roundTrip(value));
    expect(JSON.stringify(stored)).toBe(JSON.stringify(roundTrip(value)));
  });

  it('gives a copy, never the record itself', () => {
    const data = { score: 9 };
    const stored = asStored(data) as Record<string, unknown>;
    expect(stored).not.toBe(data);
    data.score = 10;
    expect(stored.score).toBe(9);
  });

  it('falls back to JSON for a class instance, an own toJSON and a __proto__ key', () => {
    class Amount { constructor(readonly cents = 5) {} }
    const withToJson = { a: 1, toJSON: () => ({ b: 2 }) };
    const withProtoKey = JSON.parse('{"__proto__": "x", "a": 1}') as unknown;
    for (const value of [new Amount(), withToJson, withProtoKey, { a: 1, [Symbol('s')]: 2 }]) {
      expect(JSON.stringify(asStored(value))).toBe(JSON.stringify(roundTrip(value)));
      expect(asStored(value)).toStrictEqual(roundTrip(value));
    }
  });
});
