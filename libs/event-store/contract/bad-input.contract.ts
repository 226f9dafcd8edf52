import { InvalidEventError, type EventStore, type ExpectedRevision, type NewEvent, type ReadAllOptions, type ReadStreamOptions } from '../src';
import { anEvent, events, streamName, type ContractHarness } from './harness.contract';

/** Input only a caller bypassing the types can send: JSON bodies, plain JavaScript callers. */
const untyped = <T>(value: unknown): T => value as T;

export function badInputContract(harness: ContractHarness): void {
  describe('bad input', () => {
    let store: EventStore;
    beforeAll(async () => (store = await harness.open()));
    afterAll(() => store.close());

    const invalid = (field: string) => ({ constructor: InvalidEventError, field });

    it.each<[string, () => NewEvent[], string]>([
      ['a null event', () => [untyped(null)], 'events[0]'],
      ['an event that is a number', () => [anEvent(), untyped(42)], 'events[1]'],
      ['an event that is a string', () => [untyped('ContactLogged')], 'events[0]'],
      ['an eventId that is not a string', () => [anEvent({ eventId: untyped(42) })], 'events[0].eventId'],
      ['null data', () => [anEvent(), anEvent({ data: null })], 'events[1].data'],
      ['undefined data', () => [anEvent({ data: undefined })], 'events[0].data'],
      ['data that serialises to nothing', () => [anEvent(), anEvent({ data: { toJSON: () => undefined } })], 'events[1].data'],
    ])('refuses %s, naming the field and storing nothing', async (_, batch, field) => {
      const stream = streamName();
      await expect(store.append(stream, batch())).rejects.toMatchObject(invalid(field));
      await expect(store.append(stream, batch(), 'no_stream')).rejects.toMatchObject(invalid(field));
      expect(await store.streamRevision(stream)).toBe(-1);
      expect(await store.readStream(stream)).toEqual([]);
      // The stream is untouched: a good first append still starts at revision 0.
      expect((await store.append(stream, [anEvent()], 'no_stream')).firstRevision).toBe(0);
    });

    it('refuses a stream id that is not well-formed UTF-16 (a lone surrogate)', async () => {
      const stream = `acct-${streamName()}-\ud800`;
      await expect(store.append(stream, [anEvent()])).rejects.toMatchObject(invalid('streamId'));
      await expect(store.append(`\udc00${streamName()}`, [anEvent()])).rejects.toMatchObject(invalid('streamId'));
      await expect(store.readStream(stream)).rejects.toMatchObject(invalid('streamId'));
      await expect(store.streamRevision(stream)).rejects.toMatchObject(invalid('streamId'));
      // Nothing was stored under the name the driver would have made of it either.
      expect(await store.streamRevision(stream.replace('\ud800', '\ufffd'))).toBe(-1);
    });

    it.each<[string, unknown]>([
      ['-2', -2],
      ['1.5', 1.5],
      ["'bogus'", 'bogus'],
      ['NaN', Number.NaN],
      ['a numeric string', '0'],
    ])('refuses an expected revision of %s, storing nothing', async (_, expected) => {
      const stream = streamName();
      await expect(store.append(stream, events(2), untyped<ExpectedRevision>(expected))).rejects.toMatchObject(invalid('expectedRevision'));
      expect(await store.streamRevision(stream)).toBe(-1);
      await store.append(stream, events(2), 'no_stream');
      await expect(store.append(stream, events(1), untyped<ExpectedRevision>(expected))).rejects.toMatchObject(invalid('expectedRevision'));
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it.each<[string, ReadStreamOptions, string]>([
      ['a fractional fromRevision', { fromRevision: 1.5 }, 'fromRevision'],
      ['a negative fromRevision', { fromRevision: -1 }, 'fromRevision'],
      ['a negative fromRevision, backward', { direction: 'backward', fromRevision: -1 }, 'fromRevision'],
      ['a negative limit', { limit: -1 }, 'limit'],
      ['a fractional limit', { limit: 1.5 }, 'limit'],
      ['an invalid asOf date', { asOf: { axis: 'recorded', at: new Date('not a date') } }, 'asOf.at'],
      ['an asOf instant that is not a Date', { asOf: { axis: 'occurred', at: untyped('2026-01-01') } }, 'asOf.at'],
      ['an unknown asOf axis', { asOf: { axis: untyped('sideways'), at: new Date('2026-01-01T00:00:00Z') } }, 'asOf.axis'],
    ])('refuses a stream read with %s', async (_, options, field) => {
      const stream = streamName();
      await store.append(stream, events(3));
      await expect(store.readStream(stream, options)).rejects.toMatchObject(invalid(field));
    });

    it.each<[string, number]>([
      ['0', 0],
      ['-1', -1],
      ['10 001', 10_001],
      ['1.5', 1.5],
      ['NaN', Number.NaN],
    ])('refuses a global read with a limit of %s', async (_, limit) => {
      await store.append(streamName(), events(2));
      await expect(store.readAll({ limit } satisfies ReadAllOptions)).rejects.toMatchObject(invalid('limit'));
    });

    it('accepts the limits at the edges of the range', async () => {
      const stream = streamName();
      await store.append(stream, events(3));
      expect(await store.readStream(stream, { limit: 0 })).toEqual([]);
      expect((await store.readAll({ limit: 1 })).events).toHaveLength(1);
      expect((await store.readAll({ limit: 10_000 })).events.length).toBeGreaterThan(0);
    });
  });
}
