import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { ChainVerifier, GENESIS_HASH } from './hash-chain';
import { canonicalJson } from './canonical-json';
import { prepareBatch } from './append-checks';
import { sealBatch, sealRows } from './sealed-batch';
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
