import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError, type EventStore, type NewEvent } from '../src';
import { anEvent, events, streamName, TestClock, type ContractHarness } from './harness.contract';

export function appendContract(harness: ContractHarness): void {
  describe('append', () => {
    const clock = new TestClock();
    let store: EventStore;
    beforeAll(async () => (store = await harness.open({ clock: clock.now })));
    afterAll(() => store.close());

    it('records a batch as consecutive revisions with the full envelope', async () => {
      const stream = streamName();
      clock.set('2026-03-04T05:06:07.089Z');
      const eventId = randomUUID();
      const result = await store.append(stream, [anEvent({ eventId, occurredAt: '2026-03-01T10:00:00Z' }), anEvent()], 'no_stream');

      expect(result).toMatchObject({ streamId: stream, firstRevision: 0, revision: 1, duplicate: false });
      expect(result.eventIds[0]).toBe(eventId);
      const [first, second] = await store.readStream(stream);
      expect(first).toMatchObject({
        eventId, type: 'ContactLogged', schemaVersion: 1, streamId: stream, revision: 0,
        occurredAt: '2026-03-01T10:00:00.000Z', recordedAt: '2026-03-04T05:06:07.089Z',
        data: { channel: 'call', direction: 'outbound', summary: 'quarterly review' },
        metadata: { correlationId: 'corr-1', actor: 'tests' },
      });
      expect(second!.revision).toBe(1);
      expect(second!.globalPosition).toBeGreaterThan(first!.globalPosition);
      expect(result.position).toBe(second!.globalPosition);
      expect(second!.metadata.previousHash).toBe(first!.metadata.hash);
      expect(first!.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.streamRevision(stream)).toBe(1);
    });

    it('stores text with line breaks, backslashes and quotes exactly, in a batch, alone and across streams', async () => {
      // The SQL stores send a batch's JSON texts one a line: each must stay one row's.
      const awkward = { summary: 'one\ntwo\r\nthree\\n "four"\u2028five', lines: ['\n', '\\', ''] };
      const meta = { correlationId: 'line\nbreak', actor: 'back\\slash' };
      const [batch, single, other] = [streamName(), streamName(), streamName()];
      await store.append(batch, [anEvent({ data: awkward, metadata: meta }), anEvent(), anEvent({ data: { summary: '\n' } })]);
      await store.append(single, [anEvent({ data: awkward })]);
      // Single events on known heads at once: the SQL stores group them into one statement.
      await Promise.all([store.append(single, [anEvent({ data: awkward, metadata: meta })], 0), store.append(batch, [anEvent({ data: awkward })], 2)]);
      const multi = store as EventStore & { appendStreams?: (writes: { streamId: string; events: NewEvent[]; expected: 'no_stream' }[]) => Promise<unknown> };
      const otherEvents = [anEvent({ data: awkward, metadata: meta }), anEvent()];
      if (multi.appendStreams) await multi.appendStreams([{ streamId: other, events: otherEvents, expected: 'no_stream' }]);
      else await store.append(other, otherEvents);
      const stored = await store.readStream(batch);
      expect(stored[0]).toMatchObject({ data: awkward, metadata: meta });
      expect(stored.map((event) => event.data)).toEqual([awkward, anEvent().data, { summary: '\n' }, awkward]);
      expect((await store.readStream(single)).map((event) => [event.data, event.metadata.actor])).toEqual([[awkward, 'tests'], [awkward, meta.actor]]);
      expect((await store.readStream(other)).map((event) => event.data)).toEqual([awkward, anEvent().data]);
    });

    it('enforces the expected revision: number, no_stream, stream_exists, any', async () => {
      const stream = streamName();
      await expect(store.append(stream, [anEvent()], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(stream, [anEvent()], 0)).rejects.toMatchObject({ expected: 0, actual: -1 });
      await store.append(stream, [anEvent()], 'no_stream');
      await expect(store.append(stream, [anEvent()], 'no_stream')).rejects.toMatchObject({ expected: 'no_stream', actual: 0 });
      await expect(store.append(stream, [anEvent()], 5)).rejects.toMatchObject({ streamId: stream, expected: 5, actual: 0 });
      expect((await store.append(stream, [anEvent()], 0)).revision).toBe(1);
      expect((await store.append(stream, [anEvent()], 'stream_exists')).revision).toBe(2);
      expect((await store.append(stream, events(3), 'any')).revision).toBe(5);
      expect(await store.readStream(stream)).toHaveLength(6);
    });

    it('sees appends made by another writer since its own last one', async () => {
      const other = await harness.open({ clock: clock.now });
      const stream = streamName();
      await store.append(stream, [anEvent()], 'no_stream');
      await other.append(stream, [anEvent()], 0);
      await expect(store.append(stream, [anEvent()], 0)).rejects.toMatchObject({ expected: 0, actual: 1 });
      expect((await store.append(stream, [anEvent()], 'any')).revision).toBe(2);
      expect((await other.append(stream, [anEvent()], 2)).revision).toBe(3);
      expect((await store.append(stream, [anEvent()], 3)).revision).toBe(4);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 5 });
      await other.close();
    });

    it('keeps recordedAt from going backwards within a stream when the clock does', async () => {
      const stream = streamName();
      clock.set('2026-05-01T12:00:00.000Z');
      await store.append(stream, [anEvent()]);
      clock.set('2026-05-01T11:00:00.000Z');
      await store.append(stream, [anEvent()]);
      const [first, second] = await store.readStream(stream);
      expect(second!.recordedAt).toBe(first!.recordedAt);
    });

    it('is idempotent: a retried batch with the same event ids is stored once and answers as first time', async () => {
      const stream = streamName();
      const batch = [anEvent({ eventId: randomUUID() }), anEvent({ eventId: randomUUID() })];
      const first = await store.append(stream, batch, 'no_stream');
      const again = await store.append(stream, batch, 'any');
      const staleRetry = await store.append(stream, batch, 'no_stream');
      for (const retry of [again, staleRetry]) {
        expect(retry).toMatchObject({ duplicate: true, revision: first.revision, position: first.position, eventIds: first.eventIds });
      }
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses an event id stored in another stream, or a batch stored only in part', async () => {
      const stream = streamName();
      const stored = anEvent({ eventId: randomUUID() });
      await store.append(stream, [stored]);
      await expect(store.append(streamName(), [stored])).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.append(stream, [stored, anEvent({ eventId: randomUUID() })])).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('is exactly idempotent: a retry must be the same events, in the same order, from one append', async () => {
      const stream = streamName();
      const [a, b] = [anEvent({ eventId: randomUUID(), data: { n: 'a', x: 1, y: 2 } }), anEvent({ eventId: randomUUID() })];
      const first = await store.append(stream, [a, b], 'no_stream');
      const refused = async (batch: NewEvent[], what: string) => {
        await expect(store.append(stream, batch, 'any').then(() => `${what}: accepted`)).rejects.toBeInstanceOf(DuplicateEventIdError);
      };
      await refused([b, a], 'reordered');
      await refused([{ ...a, data: { n: 'a', x: 1, y: 3 } }, b], 'other data');
      await refused([{ ...a, type: 'ContactRescheduled' }, b], 'other type');
      await refused([{ ...a, occurredAt: '2026-01-01T00:00:00.001Z' }, b], 'other occurredAt');
      await refused([{ ...a, schemaVersion: 2 }, b], 'other schemaVersion');
      expect(await store.readStream(stream)).toHaveLength(2);

      // Metadata is not part of what makes it the same event; an equal instant or key order is.
      const sameEvents = [
        { ...a, occurredAt: new Date('2026-01-01T00:00:00Z'), data: { y: 2, x: 1, n: 'a' }, metadata: { correlationId: 'corr-retry', actor: 'retrier' } },
        { ...b, metadata: {} },
      ];
      expect(await store.append(stream, sameEvents, 'no_stream')).toMatchObject({
        duplicate: true, firstRevision: 0, revision: 1, position: first.position, eventIds: first.eventIds,
      });
      const stored = await store.readStream(stream);
      expect(stored).toHaveLength(2);
      expect(stored[0]!.metadata).toMatchObject({ correlationId: 'corr-1', actor: 'tests' });
    });

    it('refuses as a retry a batch whose events were stored by different appends', async () => {
      const stream = streamName();
      const [a, c] = [anEvent({ eventId: randomUUID() }), anEvent({ eventId: randomUUID() })];
      await store.append(stream, [a], 'no_stream');
      await store.append(stream, [c], 0);
      // Stored at consecutive revisions, in this order, with this content: but never as one batch.
      await expect(store.append(stream, [a, c], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.append(stream, [a, c], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(stream)).toHaveLength(2);
      // Each on its own is still a faithful retry of the append that stored it.
      expect(await store.append(stream, [c], 0)).toMatchObject({ duplicate: true, firstRevision: 1, revision: 1 });
    });

    it.each([
      ['an empty batch', [], 'events'],
      ['a malformed event id', [anEvent({ eventId: 'not-a-uuid' })], 'events[0].eventId'],
      ['a bad instant', [anEvent(), anEvent({ occurredAt: 'yesterday' })], 'events[1].occurredAt'],
      ['no type', [anEvent({ type: '' })], 'events[0].type'],
      ['a bad schemaVersion', [anEvent({ schemaVersion: 0 })], 'events[0].schemaVersion'],
    ])('rejects %s naming the field, storing nothing', async (_, batch, field) => {
      const stream = streamName();
      await expect(store.append(stream, batch)).rejects.toMatchObject({ constructor: InvalidEventError, field });
      expect(await store.streamRevision(stream)).toBe(-1);
    });

    it('rejects data PostgreSQL cannot hold (a NUL character) as invalid, storing nothing', async () => {
      const stream = streamName();
      await store.append(stream, [anEvent()]);
      await expect(store.append(stream, [anEvent(), anEvent({ data: { summary: 'a\u0000b' } })])).rejects.toBeInstanceOf(InvalidEventError);
      expect(await store.readStream(stream)).toHaveLength(1);
      expect((await store.append(stream, [anEvent()], 0)).revision).toBe(1);
    });

    it('rejects a stream id that is empty or too long', async () => {
      await expect(store.append('', [anEvent()])).rejects.toMatchObject({ field: 'streamId' });
      await expect(store.append('x'.repeat(201), [anEvent()])).rejects.toMatchObject({ field: 'streamId' });
    });
  });
}
