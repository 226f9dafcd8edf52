import type { EventEnvelope, EventStore, ReadAllOptions } from '@ahe/event-store';
import { LogTail } from './log-tail';

const envelope = (n: number) => ({ streamId: `account-${n}`, globalPosition: n + 1 }) as unknown as EventEnvelope;

/** A store over a log in memory whose reads wait for `release`; event n sits at checkpoint n + 1. */
function heldStore(log: EventEnvelope[]) {
  const reads: Array<() => void> = [];
  const store = {
    async readAll({ after, limit = 1_000 }: ReadAllOptions = {}) {
      await new Promise<void>((resolve) => reads.push(resolve));
      const from = Number(after?.commit ?? 0n);
      const events = log.slice(from, from + limit);
      return { events, checkpoint: { commit: BigInt(from + events.length), prepare: 0n } };
    },
  } as unknown as EventStore;
  /** Lets the reads waiting now go on, and waits for what they do. */
  const release = async () => {
    for (const read of reads.splice(0)) read();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { store, reads, release };
}

describe('LogTail', () => {
  it('hands each appended event over once, and makes the callers that arrive during a read share the one after it', async () => {
    const log = [envelope(0), envelope(1)];
    const { store, reads, release } = heldStore(log);
    const taken: number[] = [];
    const tail = new LogTail(store, (events) => taken.push(...events.map((event) => event.globalPosition)));

    const first = tail.catchUp();
    log.push(envelope(2));
    const burst = Array.from({ length: 10 }, () => tail.catchUp());
    expect(reads).toHaveLength(1);
    await release();
    await first;
    expect(taken).toEqual([1, 2, 3]);
    expect(reads).toHaveLength(1);
    log.push(envelope(3));
    await release();
    await Promise.all(burst);
    expect(new Set(burst).size).toBe(1);
    expect(taken).toEqual([1, 2, 3, 4]);

    const alone = tail.catchUp();
    await release();
    await alone;
    expect(taken).toEqual([1, 2, 3, 4]);
  });

  it('goes on after a failed read from the last page it took', async () => {
    let failNext = true;
    const log = [envelope(0)];
    const store = {
      async readAll({ after }: ReadAllOptions = {}) {
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        const from = Number(after?.commit ?? 0n);
        return { events: log.slice(from), checkpoint: { commit: BigInt(log.length), prepare: 0n } };
      },
    } as unknown as EventStore;
    const taken: number[] = [];
    const tail = new LogTail(store, (events) => taken.push(...events.map((event) => event.globalPosition)));
    await expect(tail.catchUp()).rejects.toThrow('connection lost');
    await tail.catchUp();
    log.push(envelope(1));
    await tail.catchUp();
    expect(taken).toEqual([1, 2]);
  });
});
