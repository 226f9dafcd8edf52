import fc from 'fast-check';
import { acceptsEventData } from './event-data-acceptor';
import { parseEventData } from './parsing';
import { EVENT_REGISTRY, EVENT_TYPES, type AccountEventType } from './registry';
import { VALID_PAYLOADS } from './testing/event-fixtures';

/** The schema's own verdict: parseEventData asks the acceptor first, so it cannot be the reference. */
const schemaAccepts = (type: AccountEventType, data: unknown): boolean => EVENT_REGISTRY[type].schema.safeParse(data).success;

/** Values that sit on or next to the edges the schemas draw, of every JSON kind. */
const EDGE_VALUES: readonly unknown[] = [
  undefined, null, true, false, [], {}, [1], { a: 1 },
  0, -0, 1, -1, 0.5, -0.5, 1.5, 0.4, 10, 11, -2, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300, -1e300, NaN, Infinity, -Infinity,
  '', ' ', '\t\n', 'a', 'A', 'EUR', 'eur', 'EURO', 'x\u0000y', '\u0000', 'a b', 'ü', '😀', 'id with space', 'mgr-ada', 'a'.repeat(64), 'a'.repeat(65),
  'a'.repeat(100), 'a'.repeat(101), 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(2_000), 'a'.repeat(2_001), 'a'.repeat(10_000), 'a'.repeat(10_001),
  ' '.repeat(50), 'x'.repeat(99) + ' ',
  // Astral characters near the limits: two UTF-16 units, one code point (zod counts code points).
  '😀'.repeat(32), '😀'.repeat(33), '😀'.repeat(50), '😀'.repeat(51), 'a'.repeat(99) + '😀', 'a'.repeat(63) + '😀', '😀'.repeat(100), '😀'.repeat(101),
  '2025-01-01', '2025-12-31', '2026-12-31', '2024-02-29', '2023-02-29', '2025-02-30', '2025-04-31', '2025-13-01', '2025-1-1', '0000-01-01', '20250101',
  '2025-03-02T10:00:00Z', '2025-03-02T10:00:00.123Z', '2025-03-02T10:00:00.123456Z', '2025-03-02T10:00Z', '2025-03-02T24:00:00Z',
  '2025-03-02T10:00:00+02:00', '2025-03-02T10:00:00', '2025-03-02 10:00:00Z', '2024-02-29T10:00:00Z', '2023-02-29T10:00:00Z',
  'email', 'call', 'fax', 'inbound', 'nps', 'csat', 'ces', 'low', 'medium', 'high', 'critical', 'complaint-sla-breach', 'outage',
  '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f', 'ada@example.com',
];

type Json = Record<string, unknown>;

/** Every path to a member of the payload, nested objects included. */
function pathsOf(value: Json, prefix: readonly string[] = []): string[][] {
  return Object.entries(value).flatMap(([name, member]) => {
    const path = [...prefix, name];
    return typeof member === 'object' && member !== null && !Array.isArray(member) ? [path, ...pathsOf(member as Json, path)] : [path];
  });
}

/** A copy with the member at `path` set to `value` (deleted for undefined, or added if missing). */
function withMember(payload: Json, path: readonly string[], value: unknown, keepUndefined = false): Json {
  const copy: Json = structuredClone(payload);
  let target = copy;
  for (const name of path.slice(0, -1)) {
    if (typeof target[name] !== 'object' || target[name] === null) target[name] = {};
    target = target[name] as Json;
  }
  const last = path[path.length - 1]!;
  if (value === undefined && !keepUndefined) delete target[last];
  else target[last] = value;
  return copy;
}

/** Holds astral characters, which zod's length checks count as one and the acceptor as two: it may leave those to zod. */
const ASTRAL = /[\uD800-\uDFFF]/;

/**
 * The acceptor's verdict beside the schema's, with what was checked, so a disagreement names its
 * payload. `accepted` is what it must answer: the schema's verdict, except that with astral
 * characters it may also refuse what the schema accepts (zod then decides), never the reverse.
 */
function verdicts(type: AccountEventType, data: unknown) {
  const accepted = acceptsEventData(type, data);
  const schema = schemaAccepts(type, data);
  const leftToZod = !accepted && schema && ASTRAL.test(JSON.stringify(data) ?? '');
  return { type, data, accepted: leftToZod ? schema : accepted, schemaAccepts: schema };
}

describe('acceptsEventData', () => {
  it.each(EVENT_TYPES)('accepts the valid %s payload (its schema is compiled, not left to zod)', (type) => {
    expect(acceptsEventData(type, VALID_PAYLOADS[type])).toBe(true);
  });

  it.each(EVENT_TYPES)('agrees with the %s schema on every member set to each edge value, deleted, undefined or added', (type) => {
    const valid = VALID_PAYLOADS[type] as Json;
    const paths = [...pathsOf(valid), ['unknownMember'], ['contract', 'renewsAutomatically'], ['contract'], ['sentiment'], ['comment']];
    for (const path of paths) {
      for (const value of EDGE_VALUES) {
        const verdict = verdicts(type, withMember(valid, path, value));
        expect(verdict).toEqual({ ...verdict, accepted: verdict.schemaAccepts });
      }
      // A member present but undefined is left to the schema: the acceptor may refuse what it accepts, never the reverse.
      const undefinedMember = verdicts(type, withMember(valid, path, undefined, true));
      expect(undefinedMember.accepted && !undefinedMember.schemaAccepts).toBe(false);
    }
    for (const data of EDGE_VALUES) {
      const verdict = verdicts(type, data);
      expect(verdict).toEqual({ ...verdict, accepted: verdict.schemaAccepts });
    }
  });

  it('agrees with the schemas on payloads with several members changed at random', () => {
    const payload = fc.constantFrom(...EVENT_TYPES).chain((type) => {
      const valid = VALID_PAYLOADS[type] as Json;
      const change = fc.tuple(fc.constantFrom(...pathsOf(valid)), fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue(), fc.double(), fc.string()));
      return fc.tuple(fc.constant(type), fc.constant(valid), fc.array(change, { maxLength: 3 }));
    });
    fc.assert(fc.property(payload, ([type, valid, changes]) => {
      const data = changes.reduce((current, [path, value]) => withMember(current, path, value), valid);
      const verdict = verdicts(type, data);
      return verdict.accepted === verdict.schemaAccepts;
    }), { numRuns: 5_000 });
  });

  it('agrees with the schemas on contracts, where a refinement compares two members', () => {
    const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((day) => day.toISOString().slice(0, 10));
    const contract = fc.record({ startsOn: date, endsOn: date, annualValue: fc.oneof(fc.integer(), fc.double()) });
    fc.assert(fc.property(contract, (terms) => {
      const data = { ...VALID_PAYLOADS.AccountOpened, contract: terms };
      return acceptsEventData('AccountOpened', data) === schemaAccepts('AccountOpened', data);
    }), { numRuns: 2_000 });
  });

  it('vouches only for data the schema gives back unchanged, so parseEventData may return it as given', () => {
    const payload = fc.constantFrom(...EVENT_TYPES).chain((type) => {
      const valid = VALID_PAYLOADS[type] as Json;
      const change = fc.tuple(fc.constantFrom(...pathsOf(valid)), fc.constantFrom(...EDGE_VALUES));
      return fc.tuple(fc.constant(type), fc.constant(valid), fc.array(change, { maxLength: 2 }));
    });
    let vouched = 0;
    fc.assert(fc.property(payload, ([type, valid, changes]) => {
      const data = changes.reduce((current, [path, value]) => withMember(current, path, value), valid);
      if (!acceptsEventData(type, data)) return true;
      vouched += 1;
      const parsed = EVENT_REGISTRY[type].schema.safeParse(data);
      const fast = parseEventData(type, data);
      expect({ success: parsed.success, fast: fast.ok && fast.event.data === data }).toEqual({ success: true, fast: true });
      // toEqual, not isDeepStrictEqual: withMember's structuredClone builds objects of another realm under Jest.
      expect(parsed.data).toEqual(data);
      expect(Object.keys(parsed.data as object).sort()).toEqual(Object.keys(data).sort());
      return true;
    }), { numRuns: 3_000 });
    expect(vouched).toBeGreaterThan(300);
  });
});
