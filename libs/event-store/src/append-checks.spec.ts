import fc from 'fast-check';
import { prepareBatch } from './append-checks';
import type { NewEvent } from './event-store.port';

describe('preparing a batch', () => {
  const event = (eventId?: string): NewEvent => ({ eventId, type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { n: 1 } });

  it('gives events without an id distinct version 4 UUIDs, and keeps the ids given (in lowercase)', () => {
    const given = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11';
    const prepared = prepareBatch('s', [event(), event(given), ...Array.from({ length: 300 }, () => event())]);
    const ids = prepared.map((e) => e.eventId!);
    expect(ids[1]).toBe(given.toLowerCase());
    expect(new Set(ids).size).toBe(302);
    for (const id of [ids[0]!, ...ids.slice(2)]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(prepared[0]).toEqual({ eventId: ids[0], type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { n: 1 }, metadata: {} });
  });

  it('refuses a batch naming the first event at fault and the member', () => {
    const id = crypto.randomUUID();
    expect(() => prepareBatch('s', [event(id), event(), event(id.toUpperCase())])).toThrow(`events[2].eventId ${id} appears twice in the batch`);
    expect(() => prepareBatch('s', [event(), event('not-a-uuid')])).toThrow('events[1].eventId must be a UUID');
    expect(() => prepareBatch('s', [event(), { ...event(), type: '1x' }])).toThrow('events[1].type must be an identifier');
    expect(() => prepareBatch('s', [event(), null as unknown as NewEvent])).toThrow('events[1] must be an object');
    expect(() => prepareBatch('s', [{ ...event(), occurredAt: 'never' }])).toThrow('events[0].occurredAt must be a valid instant');
    expect(() => prepareBatch('s', [{ ...event(), metadata: [] as never }])).toThrow('events[0].metadata must be an object');
    expect(() => prepareBatch('s', [{ ...event(), occurredAt: undefined as never }])).toThrow('events[0].occurredAt must be a valid instant');
  });

  // Instants already in toISOString form are kept as given; every other one is parsed and written again.
  it('records every instant as toISOString writes it, whether or not it was given in that form', () => {
    const instants = [
      '1900-01-01T00:00:00.000Z', '1899-12-31T23:59:59.999Z', '9999-12-28T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '10000-01-01T00:00:00.000Z',
      '2026-01-28T23:59:59.999Z', '2026-01-29T00:00:00.000Z', '2026-02-29T12:00:00.000Z', '2026-02-31T12:00:00.000Z', '2024-02-29T12:00:00.000Z',
      '2026-01-01T24:00:00.000Z', '2026-01-01T23:60:00.000Z', '2026-00-10T00:00:00.000Z', '2026-13-10T00:00:00.000Z', '2026-01-00T00:00:00.000Z',
      '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1Z', '2026-01-01T00:00:00.1234Z', '2026-01-01T00:00:00.000z', '2026-01-01T00:00:00.000+02:00',
      '+012026-01-01T00:00:00.000Z', ' 2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z\n', '2026-01-01', new Date('2026-03-04T05:06:07.089Z'),
    ];
    for (const occurredAt of instants) {
      const parsed = new Date(occurredAt);
      const year = parsed.getUTCFullYear();
      const valid = !Number.isNaN(parsed.getTime()) && year >= 1900 && year <= 9999;
      const prepare = () => prepareBatch('s', [event(), { ...event(), occurredAt }, { ...event(), occurredAt }]);
      if (valid) expect(prepare().map((e) => e.occurredAt)).toEqual(['2026-01-01T00:00:00.000Z', parsed.toISOString(), parsed.toISOString()]);
      else expect(prepare).toThrow('events[1].occurredAt must be a valid instant');
    }
  });

  it('keeps an instant given in toISOString form exactly as it was (any date from 1900 to 9999)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date: Date) => {
        const occurredAt = date.toISOString();
        expect(prepareBatch('s', [{ ...event(), occurredAt }])[0]!.occurredAt).toBe(occurredAt);
      }),
      { numRuns: 500 },
    );
  });
});
