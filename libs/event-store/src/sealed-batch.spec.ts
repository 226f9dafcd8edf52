import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { ChainVerifier, GENESIS_HASH } from './hash-chain';
import { canonicalJson } from './canonical-json';
import { prepareBatch, sealBatch, sealRows } from './sealed-batch';
import type { EventEnvelope, NewEvent } from './event-store.port';

/** The chain as first released (ADR 0003): streams written then must keep verifying. */
function firstReleaseHash(previousHash: string, event: Omit<EventEnvelope, 'globalPosition'>): string {
  const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
  const { eventId, type, schemaVersion, streamId, revision, occurredAt, recordedAt, data } = event;
  const content = canonicalize({ eventId, type, schemaVersion, streamId, revision, occurredAt, recordedAt, data, metadata })!;
  return createHash('sha256').update(previousHash).update(content).digest('hex');
}

const newEvent = fc.record({
  type: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/),
  schemaVersion: fc.integer({ min: 1, max: 5 }),
  occurredAt: fc.date({ min: new Date('1990-01-01'), max: new Date('2990-01-01'), noInvalidDate: true }),
  data: fc.dictionary(fc.string(), fc.jsonValue()),
  metadata: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('hash', 'previousHash')), fc.jsonValue()),
});

describe('sealing a batch', () => {
  it('chains hashes exactly as the first release did, and the verifier accepts them', () => {
    fc.assert(
      fc.property(fc.array(newEvent, { minLength: 1, maxLength: 5 }), (events: NewEvent[]) => {
        const sealed = sealBatch('account-1', { revision: -1, hash: GENESIS_HASH }, prepareBatch('account-1', events), new Date());
        const verifier = new ChainVerifier();
        let previousHash = GENESIS_HASH;
        for (const event of sealed) {
          expect(event.metadata.previousHash).toBe(previousHash);
          expect(event.metadata.hash).toBe(firstReleaseHash(previousHash, event));
          expect(verifier.push({ ...event, globalPosition: event.revision + 1 })).toBe(true);
          previousHash = event.metadata.hash;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('seals events given without ids (as the benchmarks\' references do): each gets one, and the chain verifies', () => {
    const sealed = sealBatch('account-1', { revision: -1, hash: GENESIS_HASH }, [
      { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { n: 1 } },
      { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-02T00:00:00.000Z', data: { n: 2 } },
    ], new Date());
    const verifier = new ChainVerifier();
    expect(new Set(sealed.map((event) => event.eventId)).size).toBe(2);
    for (const event of sealed) {
      expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(verifier.push({ ...event, globalPosition: event.revision + 1 })).toBe(true);
    }
  });

  it('chains the same hashes when the events of a batch share one metadata object', () => {
    const metadata = { correlationId: 'import-1', actor: 'import', hash: 'forged' };
    const events = prepareBatch('account-1', [1, 2, 3].map((n) => ({ type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { n }, metadata })));
    const now = new Date('2026-02-01T00:00:00Z');
    const shared = sealBatch('account-1', { revision: -1, hash: GENESIS_HASH }, events, now);
    const separate = sealBatch('account-1', { revision: -1, hash: GENESIS_HASH }, events.map((event) => ({ ...event, metadata: { ...metadata } })), now);
    expect(shared).toEqual(separate);
    let previousHash = GENESIS_HASH;
    for (const event of shared) {
      expect(event.metadata).toEqual({ correlationId: 'import-1', actor: 'import', hash: firstReleaseHash(previousHash, event), previousHash });
      previousHash = event.metadata.hash;
    }
  });

  it('writes the metadata text as its members, then the hash and the previous one, as metadata changes within a batch', () => {
    const shared = { correlationId: 'import-1', actor: 'import' };
    const rows = sealRows('account-1', { revision: -1, hash: GENESIS_HASH }, prepareBatch('account-1', [shared, shared, {}, { z: 1, hash: 'forged' }, shared].map(
      (metadata, n) => ({ type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { n }, metadata }),
    )), new Date('2026-02-01T00:00:00Z'));
    const members = ['"actor":"import","correlationId":"import-1",', '"actor":"import","correlationId":"import-1",', '', '"z":1,', '"actor":"import","correlationId":"import-1",'];
    expect(rows.map((row) => row.metadata)).toEqual(rows.map((row, index) =>
      `{${members[index]}"hash":"${row.hash}","previousHash":"${index === 0 ? GENESIS_HASH : rows[index - 1]!.hash}"}`));
  });

  it('writes data and metadata as JSON text holding what JSON.stringify keeps, with the chain in the metadata', () => {
    const [row] = sealRows('account-1', { revision: 4, hash: GENESIS_HASH }, prepareBatch('account-1', [{
      type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z',
      data: { b: [1, undefined], a: new Date('2026-01-02T00:00:00Z'), gone: undefined },
      metadata: { actor: 'a', hash: 'forged' },
    }]), new Date('2026-02-01T00:00:00Z'));
    expect(row!.revision).toBe(5);
    expect(JSON.parse(row!.data)).toEqual({ a: '2026-01-02T00:00:00.000Z', b: [1, null] });
    expect(JSON.parse(row!.metadata)).toEqual({ actor: 'a', hash: row!.hash, previousHash: GENESIS_HASH });
  });

  it('refuses data that JSON cannot hold or that vanishes in it', () => {
    const seal = (data: unknown) =>
      sealRows('s', { revision: -1, hash: GENESIS_HASH }, [{ eventId: crypto.randomUUID(), type: 'T', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data, metadata: {} }], new Date());
    expect(() => seal({ n: 1n })).toThrow('events[0] is not JSON');
    expect(() => seal({ toJSON: () => undefined })).toThrow('events[0].data is required');
  });

  it('writes and chains text of any unicode (two-byte strings, lone surrogates, escapes) exactly', () => {
    const text = fc.string({ unit: 'binary' });
    const unicodeEvent = fc.record({
      type: fc.constantFrom('NoteAdded', 'ContactLogged'),
      schemaVersion: fc.integer({ min: 1, max: 3 }),
      occurredAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
      data: fc.dictionary(text, fc.oneof(text, fc.double(), fc.array(text, { maxLength: 3 }))),
      metadata: fc.dictionary(fc.oneof(text, fc.constantFrom('hash', 'previousHash')), text),
    });
    fc.assert(
      fc.property(fc.array(unicodeEvent, { minLength: 1, maxLength: 4 }), (events: NewEvent[]) => {
        const prepared = prepareBatch('account-é😀', events);
        const rows = sealRows('account-é😀', { revision: 2, hash: GENESIS_HASH }, prepared, new Date('2026-02-01T00:00:00Z'));
        let previousHash = GENESIS_HASH;
        rows.forEach((row, index) => {
          const { hash: _hash, previousHash: _previous, ...metadata } = events[index]!.metadata as Record<string, unknown>;
          expect(row.data).toBe(canonicalJson(events[index]!.data));
          const rest = canonicalJson(metadata)!;
          const chain = `"hash":"${row.hash}","previousHash":"${previousHash}"}`;
          expect(row.metadata).toBe(rest === '{}' ? `{${chain}` : `${rest.slice(0, -1)},${chain}`);
          const envelope = { ...row, streamId: 'account-é😀', data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) };
          expect(row.hash).toBe(firstReleaseHash(previousHash, envelope));
          previousHash = row.hash;
        });
      }),
      { numRuns: 300 },
    );
  });
});

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
