import type { EventStore } from '../src';
import { anEvent, endOfLog, eventually, events, readAllAfter, sleep, streamName, TestClock, type ContractHarness } from './harness.contract';

export function readContract(harness: ContractHarness): void {
  describe('reading', () => {
    const clock = new TestClock();
    let store: EventStore;
    beforeAll(async () => (store = await harness.open({ clock: clock.now })));
    afterAll(() => store.close());

    it('reads a stream forward and backward from a revision, with a limit', async () => {
      const stream = streamName();
      await store.append(stream, events(10));
      const revisions = (list: { revision: number }[]) => list.map((event) => event.revision);
      expect(revisions(await store.readStream(stream))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(revisions(await store.readStream(stream, { fromRevision: 7 }))).toEqual([7, 8, 9]);
      expect(revisions(await store.readStream(stream, { fromRevision: 2, limit: 3 }))).toEqual([2, 3, 4]);
      expect(revisions(await store.readStream(stream, { direction: 'backward', limit: 3 }))).toEqual([9, 8, 7]);
      expect(revisions(await store.readStream(stream, { direction: 'backward', fromRevision: 1 }))).toEqual([1, 0]);
      expect(await store.readStream(streamName())).toEqual([]);
      expect(await store.streamRevision(streamName())).toBe(-1);
    });

    it('reads a stream as of an instant on either time axis, back-dated events included', async () => {
      const stream = streamName();
      clock.set('2026-02-01T09:00:00Z');
      await store.append(stream, [anEvent({ occurredAt: '2026-02-01T08:00:00Z', data: { n: 'a' } })]);
      clock.set('2026-02-03T09:00:00Z');
      await store.append(stream, [anEvent({ occurredAt: '2026-02-03T08:00:00Z', data: { n: 'b' } })]);
      // Logged on the 5th, about a call on the 2nd.
      clock.set('2026-02-05T09:00:00Z');
      await store.append(stream, [anEvent({ occurredAt: '2026-02-02T08:00:00Z', data: { n: 'late' } })]);

      const names = async (axis: 'occurred' | 'recorded', at: string) =>
        (await store.readStream(stream, { asOf: { axis, at: new Date(at) } })).map((event) => (event.data as { n: string }).n);
      expect(await names('occurred', '2026-02-02T12:00:00Z')).toEqual(['a', 'late']);
      expect(await names('recorded', '2026-02-02T12:00:00Z')).toEqual(['a']);
      expect(await names('recorded', '2026-02-04T12:00:00Z')).toEqual(['a', 'b']);
      expect(await names('occurred', '2026-02-04T12:00:00Z')).toEqual(['a', 'b', 'late']);
      expect(await names('recorded', '2026-02-05T09:00:00Z')).toEqual(['a', 'b', 'late']);
      expect(await names('occurred', '2026-01-01T00:00:00Z')).toEqual([]);
    });

    it('reads the global log after a position, in commit order, page by page', async () => {
      const start = await endOfLog(store);
      const [a, b] = [streamName(), streamName()];
      await store.append(a, events(3));
      await store.append(b, events(2));
      await store.append(a, events(1));

      const page = await store.readAll({ after: start, limit: 4 });
      expect(page.events.map((event) => [event.streamId, event.revision])).toEqual([[a, 0], [a, 1], [a, 2], [b, 0]]);
      const rest = await store.readAll({ after: page.checkpoint, limit: 4 });
      expect(rest.events.map((event) => [event.streamId, event.revision])).toEqual([[b, 1], [a, 3]]);
      const end = await store.readAll({ after: rest.checkpoint });
      expect(end.events).toEqual([]);
      expect(end.checkpoint).toEqual(rest.checkpoint);
      const all = await readAllAfter(store, start);
      expect(all.map((event) => event.globalPosition)).toEqual([...page.events, ...rest.events].map((event) => event.globalPosition));
    });

    it('subscribes from a checkpoint: catches up, then is woken by live appends', async () => {
      const start = await endOfLog(store);
      const stream = streamName();
      await store.append(stream, events(3));
      const received: number[] = [];
      const subscription = store.subscribe(
        async (batch) => {
          received.push(...batch.events.filter((event) => event.streamId === stream).map((event) => event.revision));
        },
        { from: start, maxIdleMs: 60_000 },
      );
      await eventually(() => received.length === 3, 10_000, 'catch-up');
      await sleep(200); // idle now, with a 60 s poll: only a commit notification can wake it in time
      await store.append(stream, events(2));
      await eventually(() => received.length === 5, 10_000, 'live delivery');
      await subscription.stop();
      expect(received).toEqual([0, 1, 2, 3, 4]);
      await subscription.done;
    });

    it('ends the subscription with the handler error', async () => {
      const start = await endOfLog(store);
      await store.append(streamName(), events(1));
      const subscription = store.subscribe(async () => {
        throw new Error('projection failed');
      }, { from: start });
      await expect(subscription.done).rejects.toThrow('projection failed');
    });
  });
}
