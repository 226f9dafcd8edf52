import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../../contract/index.contract';
import { anEvent, endOfLog, events, streamName } from '../../contract/harness.contract';
import { ForeignEventError } from '../errors';
import { EsdbClientFake } from './esdb-client.fake';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { eventStoreDbHarness } from './eventstoredb-harness.contract';

/**
 * The adapter's own logic (chain on the head, retries, idempotency, paging of $all, as-of,
 * subscriptions) under the shared contract, over an in-memory imitation of the client. This
 * is NOT EventStoreDB: eventstoredb-event-store.spec.ts runs the same suite against a server.
 */
describe('EventStoreDbEventStore over an in-memory imitation of the client (NOT a server)', () => {
  const fake = new EsdbClientFake();
  const harness = eventStoreDbHarness(() => fake.asClient(), () => fake.asSeparateClient());
  afterAll(() => harness.dispose());

  describeEventStoreContract('EventStoreDB adapter, imitated client', harness);

  it('skips system events in $all, keeping the checkpoint on the last engine event', async () => {
    const store = new EventStoreDbEventStore(fake.asClient());
    const start = await endOfLog(store);
    const stream = streamName();
    await store.append(stream, events(2));
    fake.systemNoise();
    const page = await store.readAll({ after: start });
    expect(page.events.map((event) => event.revision)).toEqual([0, 1]);
    expect(page.checkpoint).toEqual({ commit: expect.any(BigInt), prepare: BigInt(page.events[1]!.globalPosition) });
    expect(await store.readAll({ after: page.checkpoint })).toEqual({ events: [], checkpoint: page.checkpoint });
    await store.close();
  });

  it('refuses $-prefixed stream ids, which $all readers would never see', async () => {
    const store = new EventStoreDbEventStore(fake.asClient());
    await expect(store.append('$account-1', [anEvent()])).rejects.toMatchObject({ field: 'streamId' });
    await store.close();
  });

  it('answers two racing copies of one batch with one write and one duplicate', async () => {
    const [first, second] = [new EventStoreDbEventStore(fake.asClient()), new EventStoreDbEventStore(fake.asClient())];
    const stream = streamName();
    const batch = [anEvent({ eventId: randomUUID() }), anEvent({ eventId: randomUUID() })];
    const results = await Promise.all([
      first.append(stream, batch, 'no_stream'),
      second.append(stream, batch.map((event) => ({ ...event, metadata: { actor: 'retrier' } })), 'no_stream'),
    ]);
    expect(results.map((result) => result.duplicate).sort()).toEqual([false, true]);
    expect(results[0]!.position).toBe(results[1]!.position);
    expect(await first.verifyStream(stream)).toEqual({ ok: true, checked: 2 });
    await Promise.all([first.close(), second.close()]);
  });

  it("answers reads of a stream holding another client's event with a STREAM_BROKEN error naming it, and verify with its revision", async () => {
    const store = new EventStoreDbEventStore(fake.asClient());
    const start = await endOfLog(store);
    const stream = streamName();
    await store.append(stream, events(2));
    fake.foreignEvent(stream);
    const broken = { code: 'STREAM_BROKEN', streamId: stream, revision: 2 };
    for (const read of [store.readStream(stream), store.readStream(stream, { direction: 'backward' }), store.append(stream, events(1))]) {
      await expect(read).rejects.toBeInstanceOf(ForeignEventError);
      await expect(read).rejects.toMatchObject(broken);
    }
    expect(await store.verifyStream(stream)).toEqual({ ok: false, checked: 3, brokenAt: 2, reason: expect.stringContaining(`${stream}@2 was not written by the engine`) });
    expect((await store.readAll({ after: start })).events.map((event) => event.revision)).toEqual([0, 1]);
    await store.close();
  });

  it('disposes only a client it owns', async () => {
    const own = new EsdbClientFake();
    await new EventStoreDbEventStore(own.asClient()).close();
    expect(own.disposed).toBe(false);
    await new EventStoreDbEventStore(own.asClient(), { ownsClient: true }).close();
    expect(own.disposed).toBe(true);
  });
});
