import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError } from '../errors';
import type { NewEvent } from '../event-store.port';
import { matchStoredBatch, sameContent, type StoredEvent } from './esdb-idempotency';

const newEvent = (data: unknown, overrides: Partial<NewEvent> = {}): NewEvent => ({
  eventId: randomUUID(), type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data, ...overrides,
});

/** The stream as stored: `batches` lists how many events each earlier append wrote. */
function stored(events: readonly NewEvent[], batches: number[] = [events.length]): StoredEvent[] {
  const out: StoredEvent[] = [];
  let revision = 0;
  for (const size of batches) {
    for (let i = 0; i < size; i++, revision++) {
      const event = events[revision]!;
      out.push({
        envelope: {
          eventId: event.eventId!, type: event.type, schemaVersion: event.schemaVersion, streamId: 's', revision,
          globalPosition: 100 + revision, occurredAt: new Date(event.occurredAt).toISOString(), recordedAt: '2026-01-02T00:00:00.000Z',
          data: event.data, metadata: { hash: 'h', previousHash: 'p', correlationId: 'first' },
        },
        batch: { firstRevision: revision - i, size },
        checkpoint: { commit: 1000n + BigInt(revision), prepare: 100n + BigInt(revision) },
      });
    }
  }
  return out;
}

describe('idempotent append on EventStoreDB (same rule as the SQL store)', () => {
  const [a, b] = [newEvent({ n: 'a', x: 1 }), newEvent({ n: 'b' })];

  it('answers an exact retry with what was stored, metadata and key order aside', () => {
    const retry = [{ ...a, data: { x: 1, n: 'a' }, metadata: { correlationId: 'retry' } }, { ...b, occurredAt: new Date('2026-01-01T00:00:00Z') }];
    expect(matchStoredBatch('s', stored([a, b]), retry)).toEqual({
      streamId: 's', firstRevision: 0, revision: 1, position: 101, eventIds: [a.eventId, b.eventId],
      checkpoint: { commit: 1001n, prepare: 101n }, duplicate: true,
    });
  });

  it('lets a batch through when none of its ids is stored', () => {
    expect(matchStoredBatch('s', [], [a, b])).toBeUndefined();
  });

  it.each<[string, (events: StoredEvent[]) => StoredEvent[], NewEvent[]]>([
    ['stored only in part', (all) => all.slice(0, 1), [a, b]],
    ['reordered', (all) => all, [b, a]],
    ['other data', (all) => all, [{ ...a, data: { n: 'a', x: 2 } }, b]],
    ['other type', (all) => all, [{ ...a, type: 'ContactRescheduled' }, b]],
    ['other schemaVersion', (all) => all, [{ ...a, schemaVersion: 2 }, b]],
    ['other occurredAt', (all) => all, [{ ...a, occurredAt: '2026-01-01T00:00:00.001Z' }, b]],
  ])('refuses a batch %s', (_, storedPart, batch) => {
    expect(() => matchStoredBatch('s', storedPart(stored([a, b])), batch)).toThrow(DuplicateEventIdError);
  });

  it('refuses as a retry events stored at consecutive revisions by two appends', () => {
    const twoAppends = stored([a, b], [1, 1]);
    expect(() => matchStoredBatch('s', twoAppends, [a, b])).toThrow('by different appends');
    // Each alone is a faithful retry of its own append.
    expect(matchStoredBatch('s', twoAppends.slice(1), [b])).toMatchObject({ duplicate: true, firstRevision: 1, revision: 1 });
  });

  it('compares content canonically', () => {
    expect(sameContent({ type: 'T', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { b: 1, a: [1, { d: 2, c: 3 }] } }))
      .toBe(sameContent({ type: 'T', schemaVersion: 1, occurredAt: new Date('2026-01-01T00:00:00.000Z'), data: { a: [1, { c: 3, d: 2 }], b: 1 } }));
  });
});
