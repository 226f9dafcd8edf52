import { WrongExpectedRevisionError, type EventStore, type ExpectedRevision } from '../src';
import { endOfLog, eventually, events, sleep, streamName, type ContractHarness } from './harness.contract';

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;
const STREAMS = 12;
const MAX_BATCH = 25;

/** mulberry32: a seeded generator, so a failing interleaving's inputs can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function concurrencyContract(harness: ContractHarness): void {
  describe('concurrent writers and a tailing reader', () => {
    it('delivers every event exactly once, in each stream’s revision order, with no gap', async () => {
      const seed = Number(process.env.CONTRACT_SEED ?? Date.now() % 100_000);
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
