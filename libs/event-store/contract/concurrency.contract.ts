import { compareCheckpoints, WrongExpectedRevisionError, type Checkpoint, type EventEnvelope, type EventStore, type ExpectedRevision } from '../src';
import { contractSeed, endOfLog, eventually, events, seeded, sleep, streamName, type ContractHarness } from './harness.contract';

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;
const STREAMS = 12;
const MAX_BATCH = 25;
const RACE_INSTANCES = 8;
const RACE_STREAMS = 300;
const RACE_CHUNK = 20;

export function concurrencyContract(harness: ContractHarness): void {
  describe('concurrent writers and a tailing reader', () => {
    it('delivers every event exactly once, in each stream’s revision order, with no gap', async () => {
      const seed = contractSeed();
      const random = seeded(seed);
      // Random pauses before COMMIT make transactions finish out of the order they began in.
      const store = await harness.open({ beforeCommit: async () => (random() < 0.5 ? sleep(random() * 8) : undefined) });
      const start = await endOfLog(store);
      const streams = Array.from({ length: STREAMS }, () => streamName('concurrency'));
      const received = new Map<string, number[]>(streams.map((stream) => [stream, []]));
      const seen = new Set<string>();
      let duplicates = 0;
      const subscription = store.subscribe(
        async (batch) => {
          for (const event of batch.events) {
            const revisions = received.get(event.streamId);
            if (!revisions) continue;
            if (seen.has(event.eventId)) duplicates++;
            seen.add(event.eventId);
            revisions.push(event.revision);
          }
        },
        { from: start, batchSize: 100 },
      );

      let appended = 0;
      let conflicts = 0;
      const writer = async (index: number) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i++) {
          const stream = streams[Math.floor(random() * STREAMS)]!;
          const batch = events(1 + Math.floor(random() * MAX_BATCH), { data: { writer: index, append: i } });
          for (;;) {
            // Half the writers check the revision they read, the other half append to whatever is there.
            const expected: ExpectedRevision = index % 2 ? await store.streamRevision(stream) : 'any';
            try {
              await store.append(stream, batch, expected === -1 ? 'no_stream' : expected);
              appended += batch.length;
              break;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              conflicts++;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index)));
      await eventually(() => seen.size >= appended, 60_000, `all ${appended} events (seed ${seed})`);
      await sleep(100); // room for a duplicate to show up
      await subscription.stop();

      expect({ seed, duplicates }).toEqual({ seed, duplicates: 0 });
      expect(seen.size).toBe(appended);
      expect(appended).toBeGreaterThan(2000);
      for (const stream of streams) {
        const last = await store.streamRevision(stream);
        expect(received.get(stream)).toEqual(Array.from({ length: last + 1 }, (_, revision) => revision));
      }
      if (harness.concurrentCommits) expect(conflicts).toBeGreaterThan(0);
      await store.close();
    });

    it('keeps each new stream in revision order in the log when many instances create it at once', async () => {
      const seed = contractSeed();
      const [random, pause] = [seeded(seed), seeded(seed ^ 0x5bd1e995)];
      // Separate instances have separate head caches; half of them pause before COMMIT at random.
      const stores = await Promise.all(
        Array.from({ length: RACE_INSTANCES }, (_, index) =>
          harness.open(index % 2 ? { beforeCommit: async () => (pause() < 0.5 ? sleep(pause() * 5) : undefined) } : {}),
        ),
      );
      const start = await endOfLog(stores[0]!);
      const streams = Array.from({ length: RACE_STREAMS }, () => streamName('race'));
      for (let chunk = 0; chunk < streams.length; chunk += RACE_CHUNK) {
        await Promise.all(
          streams.slice(chunk, chunk + RACE_CHUNK).flatMap((stream) => {
            const order = [...stores.keys()];
            for (let i = order.length - 1; i > 0; i--) {
              const j = Math.floor(random() * (i + 1));
              [order[i], order[j]] = [order[j]!, order[i]!];
            }
            return order.map((index) => stores[index]!.append(stream, events(1, { data: { instance: index } }), 'any'));
          }),
        );
      }

      // Read the log page by page, keeping each page's checkpoint.
      const log: EventEnvelope[] = [];
      const pages: { checkpoint: Checkpoint; size: number }[] = [];
      for (let after = start; ; ) {
        const page = await stores[0]!.readAll({ after, limit: 97 });
        if (page.events.length === 0) break;
        log.push(...page.events);
        pages.push({ checkpoint: page.checkpoint, size: page.events.length });
        after = page.checkpoint;
      }
      const mine = new Set(streams);
      const byStream = new Map<string, EventEnvelope[]>(streams.map((stream) => [stream, []]));
      for (const event of log) if (mine.has(event.streamId)) byStream.get(event.streamId)!.push(event);

      const expected = Array.from({ length: RACE_INSTANCES }, (_, revision) => revision);
      const outOfOrder = streams.filter((stream) => {
        const seen = byStream.get(stream)!;
        const positions = seen.map((event) => event.globalPosition);
        return seen.map((event) => event.revision).join() !== expected.join() || positions.join() !== [...positions].sort((x, y) => x - y).join();
      });
      expect({ seed, outOfOrder: outOfOrder.length, example: byStream.get(outOfOrder[0]!)?.map((e) => [e.revision, e.globalPosition]) })
        .toEqual({ seed, outOfOrder: 0, example: undefined });
      expect(new Set(log.map((event) => event.eventId)).size).toBe(log.length);
      expect(log.filter((event) => mine.has(event.streamId))).toHaveLength(RACE_STREAMS * RACE_INSTANCES);
      expect(pages.map((page, index) => compareCheckpoints(page.checkpoint, index ? pages[index - 1]!.checkpoint : start))).toEqual(pages.map(() => 1));
      // A reader resuming from any page's checkpoint reads exactly the rest of the log.
      const resume = pages[Math.floor(pages.length / 2)]!;
      const consumed = pages.slice(0, pages.indexOf(resume) + 1).reduce((sum, page) => sum + page.size, 0);
      const resumed = await stores[0]!.readAll({ after: resume.checkpoint, limit: 10_000 });
      expect(resumed.events.map((event) => event.eventId)).toEqual(log.slice(consumed).map((event) => event.eventId));
      for (const stream of streams.slice(0, 10)) expect(await stores[0]!.verifyStream(stream)).toEqual({ ok: true, checked: RACE_INSTANCES });
      await Promise.all(stores.map((store) => store.close()));
    });

    it('holds back a later commit until an earlier transaction finishes, then delivers both in order', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const [slow, fast] = [streamName('slow'), streamName('fast')];
      const store: EventStore = await harness.open({ beforeCommit: (stream) => (stream === slow ? gate : Promise.resolve()) });
      const start = await endOfLog(store);
      const order: string[] = [];
      const subscription = store.subscribe(
        async (batch) => void order.push(...batch.events.map((event) => event.streamId).filter((id) => id === slow || id === fast)),
        { from: start, maxIdleMs: 50 },
      );

      const slowAppend = store.append(slow, events(1));
      await sleep(100); // the slow transaction now holds its id, waiting to commit
      const fastAppend = store.append(fast, events(1));
      if (harness.concurrentCommits) {
        await fastAppend; // committed, but behind a transaction that is still open
        await sleep(300);
        expect(order).toEqual([]);
      }
      release();
      await Promise.all([slowAppend, fastAppend]);
      await eventually(() => order.length === 2, 10_000, 'both events');
      await subscription.stop();
      expect(order).toEqual([slow, fast]);
      await store.close();
    });
  });
}
