import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, canonicalMembers } from './canonical-json';

/** What the hash chain was first built with: a JSON round trip, then the canonicalize package. */
const reference = (value: unknown): string | undefined => {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : canonicalize(JSON.parse(json));
};

describe('canonicalJson', () => {
  it('writes the same text as a JSON round trip through canonicalize, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === reference(value)), { numRuns: 2000 });
  });

  it('keeps and drops what JSON.stringify keeps and drops, for values that are not plain JSON', () => {
    const loose = fc.anything({
      withDate: true, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withObjectString: true,
      values: [fc.double(), fc.string(), fc.constant(undefined), fc.constant(Symbol('s')), fc.constant(() => 1)],
    });
    fc.assert(fc.property(loose, (value) => canonicalJson(value) === reference(value)), { numRuns: 2000 });
  });

  it('sorts members by UTF-16 code units, integer-like names included', () => {
    expect(canonicalJson({ b: 1, 10: 'x', 2: 'y', a: [3, { d: null, c: true }], é: 'e', z: '\u2028' }))
      .toBe('{"10":"x","2":"y","a":[3,{"c":true,"d":null}],"b":1,"z":"\u2028","é":"e"}');
  });

  it('quotes strings as JSON.stringify does: escapes, lone and paired surrogates, any unicode', () => {
    const texts = ['plain', '', 'a"b', 'back\\slash', 'line\nfeed\u0000\u001f', '\u007f\u2028\u2029', '\ud800', 'x\udfff', '😀', 'é€'];
    for (const text of texts) expect(canonicalJson({ [text]: text })).toBe(reference({ [text]: text }));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => canonicalJson([text]) === reference([text])), { numRuns: 2000 });
  });

  it('sorts objects of a few members and of many alike', () => {
    const names = fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 40 });
    fc.assert(fc.property(names, (keys) => {
      const value = Object.fromEntries(keys.map((key, index) => [key, index]));
      return canonicalJson(value) === reference(value);
    }), { numRuns: 1000 });
  });

  it('calls toJSON with the member name, and throws where JSON.stringify throws', () => {
    const seen: string[] = [];
    const value = { at: { toJSON: (key: string) => (seen.push(key), 'x') }, list: [{ toJSON: (key: string) => (seen.push(key), 1) }] };
    expect(canonicalJson(value)).toBe('{"at":"x","list":[1]}');
    expect(seen).toEqual(['at', '0']);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
  });
});

describe('canonicalMembers', () => {
  const omitted = new Set(['hash', 'previousHash']);
  /** The first release's way: canonical JSON, parsed back, the chain's members deleted, canonical JSON again. */
  const withoutChain = (value: unknown): string | undefined => {
    const json = reference(value);
    if (json === undefined || !json.startsWith('{')) return undefined;
    const { hash: _hash, previousHash: _previous, ...rest } = JSON.parse(json) as Record<string, unknown>;
    return canonicalize(rest);
  };
  const members = (value: unknown): string | undefined => {
    const text = canonicalMembers(value, omitted);
    return text === undefined ? undefined : `{${text}}`;
  };
  const names = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('hash', 'previousHash', '__proto__', '10', 'é'));

  it('writes an object without the omitted members, as deleting them from the parsed JSON does', () => {
    const value = fc.dictionary(names, fc.oneof(fc.jsonValue(), fc.dictionary(names, fc.jsonValue())));
    fc.assert(fc.property(value, (record) => members(record) === withoutChain(record)), { numRuns: 2000 });
    expect(members({ hash: 'x', previousHash: 'y', actor: 'a', nested: { hash: 'kept' } })).toBe('{"actor":"a","nested":{"hash":"kept"}}');
    expect(canonicalMembers({ hash: 'x' }, omitted)).toBe('');
  });

  it('answers undefined for what is not written as an object, and throws where JSON.stringify throws', () => {
    const loose = fc.anything({
      withDate: true, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withObjectString: true,
      values: [fc.double(), fc.string(), fc.constant(undefined), fc.constant(Symbol('s')), fc.constant(() => 1)],
    });
    fc.assert(fc.property(loose, (value) => members(value) === withoutChain(value)), { numRuns: 2000 });
    for (const value of [[1], new String('{'), new Date(0), { toJSON: () => [] }, null, 'text']) expect(canonicalMembers(value, omitted)).toBeUndefined();
    expect(canonicalMembers({ toJSON: (key: string) => ({ key, hash: 1 }) }, omitted)).toBe('"key":""');
    expect(() => canonicalMembers({ big: 1n }, omitted)).toThrow(TypeError);
    expect(() => canonicalMembers({ toJSON: () => 1n }, omitted)).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { cyclic };
    expect(() => canonicalMembers(cyclic, omitted)).toThrow(TypeError);
  });
});
