import { compareCheckpoints, UpcastFailedError, type Checkpoint, type EventStore, type Subscription } from '../src';
import { anEvent, endOfLog, eventually, events, sleep, streamName, within, type ContractHarness } from './harness.contract';

export function subscriptionContract(harness: ContractHarness): void {
  describe('subscriptions', () => {
    let store: EventStore;
    beforeAll(async () => (store = await harness.open()));
    afterAll(() => store.close());

    it('stops promptly when stop() is called from inside the handler, delivering nothing more', async () => {
      const start = await endOfLog(store);
      const stream = streamName();
      await store.append(stream, events(5));
      let delivered = 0;
      let stopOutcome: string | undefined;
      let subscription!: Subscription;
      subscription = store.subscribe(
        async () => {
          delivered++;
          stopOutcome = await within(subscription.stop(), 2000, 'stop() awaited inside the handler').then(
            () => 'resolved',
            (error: Error) => error.message,
          );
        },
        { from: start, batchSize: 1, maxIdleMs: 20 },
      );
      await within(subscription.done, 5000, 'done after stop() from the handler');
      expect(stopOutcome).toBe('resolved');
      await store.append(stream, events(2));
      await sleep(200);
      expect(delivered).toBe(1);
    });

    it('is stopped by store.close(): its done resolves', async () => {
      const own = await harness.open();
      const start = await endOfLog(own);
      await own.append(streamName(), events(2));
      let received = 0;
      const subscription = own.subscribe(async (batch) => void (received += batch.events.length), { from: start, maxIdleMs: 60_000 });
      await eventually(() => received === 2, 10_000, 'catch-up');
      await sleep(50); // idle now, waiting out a 60 s poll
      await within(own.close(), 5000, 'close() with a live subscription');
      await within(subscription.done, 5000, 'done after close()');
    });

    it('hands the handler strictly increasing checkpoints, each past the one it started from', async () => {
      const start = await endOfLog(store);
      const batches: { checkpoint: Checkpoint; size: number }[] = [];
      let received = 0;
      const subscription = store.subscribe(
        async (batch) => {
          batches.push({ checkpoint: batch.checkpoint, size: batch.events.length });
          received += batch.events.length;
        },
        { from: start, batchSize: 7, maxIdleMs: 20 },
      );
      for (let i = 0; i < 20; i++) await store.append(streamName(), events(1 + (i % 4)));
      await eventually(() => received === 50, 10_000, 'all 50 events');
      await subscription.stop();
      await subscription.done;
      expect(batches.length).toBeGreaterThanOrEqual(8);
      const checkpoints = [start, ...batches.map((batch) => batch.checkpoint)];
      const steps = checkpoints.slice(1).map((checkpoint, index) => compareCheckpoints(checkpoint, checkpoints[index]!));
      expect(steps).toEqual(steps.map(() => 1));
      // Resuming from any of them reads exactly what was delivered after it.
      const resumeAt = 3;
      const rest = await store.readAll({ after: batches[resumeAt]!.checkpoint, limit: 1000 });
      expect(rest.events).toHaveLength(batches.slice(resumeAt + 1).reduce((sum, batch) => sum + batch.size, 0));
      expect(rest.checkpoint).toEqual(batches[batches.length - 1]!.checkpoint);
    });

    it('ends, rather than retries for ever, when the upcaster throws; a global read throws too', async () => {
      const poisoned = await harness.open({
        upcast: (event) => {
          if (event.type === 'ContactPoisoned') throw new Error('no upcaster for ContactPoisoned');
          return event;
        },
      });
      const start = await endOfLog(poisoned);
      const stream = streamName();
      await poisoned.append(stream, [anEvent(), anEvent({ type: 'ContactPoisoned' }), anEvent()]);
      const subscription = poisoned.subscribe(async () => undefined, { from: start, maxIdleMs: 50, onError: () => undefined });
      await expect(within(subscription.done, 10_000, 'done after an upcaster failure')).rejects.toBeInstanceOf(UpcastFailedError);
      await expect(poisoned.readAll({ after: start })).rejects.toBeInstanceOf(UpcastFailedError);
      await expect(poisoned.readAll({ after: start })).rejects.toMatchObject({ type: 'ContactPoisoned' });
      expect(await poisoned.verifyStream(stream)).toEqual({ ok: true, checked: 3 }); // verification reads what is stored
      await poisoned.close();
    });

    const openElsewhere = harness.openElsewhere?.bind(harness);
    (openElsewhere ? it : it.skip)('is woken by a commit made through another client (another process)', async () => {
      const elsewhere = await openElsewhere!();
      try {
        const start = await endOfLog(store);
        const stream = streamName();
        await store.append(stream, events(1));
        const received: number[] = [];
        const subscription = store.subscribe(
          async (batch) => void received.push(...batch.events.filter((event) => event.streamId === stream).map((event) => event.revision)),
          { from: start, maxIdleMs: 60_000 },
        );
        await eventually(() => received.length === 1, 10_000, 'catch-up');
        await sleep(200); // idle, with a 60 s poll: only a notification from the database can wake it in time
        await elsewhere.append(stream, events(2), 0);
        await eventually(() => received.length === 3, 10_000, 'delivery of a commit made elsewhere');
        await subscription.stop();
        expect(received).toEqual([0, 1, 2]);
      } finally {
        await elsewhere.close();
      }
    });
  });
}
