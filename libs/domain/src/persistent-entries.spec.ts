import { PersistentEntries } from './persistent-entries';

type Model = Readonly<Record<string, number>>;

// What the fold did before: copy the record on every change.
const modelSet = (model: Model, key: string, value: number): Model => ({ ...model, [key]: value });
const modelDelete = (model: Model, key: string): Model => Object.fromEntries(Object.entries(model).filter(([entry]) => entry !== key));

/** Deterministic choices, so a failure replays. */
function choices(seed: number): (bound: number) => number {
  let value = seed;
  return (bound) => {
    value = (value * 1_103_515_245 + 12_345) % 2_147_483_648;
    return value % bound;
  };
}

// Integer-like keys sort first in a plain object; "__proto__" must stay an ordinary entry.
const KEYS = ['a', 'b', '7', '10', '__proto__', 'constructor', 'c', 'd', 'e'];

interface Version {
  readonly entries: PersistentEntries<number>;
  readonly model: Model;
}

function step(version: Version, next: (bound: number) => number, value: number): Version {
  const key = KEYS[next(KEYS.length)]!;
  return next(3) === 0
    ? { entries: version.entries.delete(key), model: modelDelete(version.model, key) }
    : { entries: version.entries.set(key, value), model: modelSet(version.model, key, value) };
}

function expectSame({ entries, model }: Version): void {
  const record = entries.toRecord();
  expect(Object.keys(record)).toEqual(Object.keys(model));
  expect(record).toEqual(model);
  expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  expect(entries.size).toBe(Object.keys(model).length);
  for (const key of [...KEYS, 'absent', 'toString']) {
    expect([entries.get(key), entries.has(key)]).toEqual([Object.hasOwn(model, key) ? model[key] : undefined, Object.hasOwn(model, key)]);
  }
}

describe('PersistentEntries', () => {
  it('reads as a copied record would after every set and delete, in the same key order', () => {
    const next = choices(7);
    let version: Version = { entries: PersistentEntries.of<number>([]), model: {} };
    const kept: Version[] = [];
    for (let index = 0; index < 1_000; index++) {
      version = step(version, next, index);
      kept.push(version);
    }
    for (const each of kept) expectSame(each);
  });

  it('leaves every older version as it was when another line of versions grows from it', () => {
    const next = choices(11);
    const versions: Version[] = [{ entries: PersistentEntries.ofRecord({ b: 1, '3': 2 }), model: { b: 1, '3': 2 } }];
    const snapshots = [JSON.stringify(versions[0]!.entries.toRecord())];
    for (let index = 0; index < 1_500; index++) {
      // Mostly the newest version, as a fold does; now and then an old one, as a kept snapshot does.
      const from = next(4) === 0 ? versions[next(versions.length)]! : versions.at(-1)!;
      const grown = step(from, next, index);
      versions.push(grown);
      snapshots.push(JSON.stringify(Object.fromEntries(Object.entries(grown.model))));
    }
    versions.forEach((version, index) => {
      expectSame(version);
      expect(JSON.stringify(version.entries.toRecord())).toBe(snapshots[index]);
    });
  });

  it('caches its views: a version read twice gives the same record and key list', () => {
    const entries = PersistentEntries.of([['x', 1]]).set('y', 2);
    expect(entries.toRecord()).toBe(entries.toRecord());
    expect(entries.toKeys()).toBe(entries.toKeys());
    expect(entries.toKeys()).toEqual(['x', 'y']);
  });

  it('returns itself for a delete of an absent key', () => {
    const entries = PersistentEntries.of([['x', 1]]);
    expect(entries.delete('y')).toBe(entries);
  });
});
