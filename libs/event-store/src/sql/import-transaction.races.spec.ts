import { WriteDeadlockError, WrongExpectedRevisionError } from '../errors';
import { backends, importHarness, note, notes } from './import-transaction-harness.contract';
import type { SqlEventStore } from './sql-event-store';

describe.each(backends)('SqlEventStore.importTransaction on %s and other writers', (_name, backend) => {
  const imports = importHarness(backend);
  const { unique } = imports;
  const { concurrent } = backend;
  let store: SqlEventStore;
  beforeAll(() => {
    ({ store } = imports);
  });

  it('makes an append to a stream it holds wait for its end, then refuses the stale expected revision', async () => {
    const a = unique('a');
    await store.append(a, notes(1), 'no_stream');
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const importing = store.importTransaction(async (writer) => {
      await writer.lockStreams([a]);
      await writer.write([{ streamId: a, events: notes(2, 1) }]);
      holding();
    });
    // Another writer, outside the import (the embedded store queues it behind the import's transaction).
    await held;
    const late = store.append(a, [note(9)], 0).catch((error: unknown) => error);
    await importing;
    expect(await late).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream(a)).map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2]);
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 3 });
  });

  (concurrent ? it : it.skip)('refuses a stream that a transaction younger than the import wrote before it was locked, storing nothing', async () => {
    const [a, b] = [unique('a'), unique('b')];
    await store.append(b, notes(1), 'no_stream');
    const refused = store.importTransaction(async (writer) => {
      await writer.lockStreams([a]);
      await writer.write([{ streamId: a, events: notes(2) }]);
      // Another writer, begun after the import, appends to b and commits before the import reaches b.
      await store.append(b, [note(1)], 0);
      await writer.lockStreams([b]);
    });
    await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(refused).rejects.toMatchObject({ streamId: b });
    expect(await store.streamRevision(a)).toBe(-1);
    expect(await store.readStream(b)).toHaveLength(2);
    expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
  });

  (concurrent ? it : it.skip)('answers a deadlock with another import as WriteDeadlockError, the survivor stored and the other not', async () => {
    const [a, b] = [unique('a'), unique('b')];
    let release!: () => void;
    const bothHold = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    const hold = async () => {
      if (++holding === 2) release();
      await bothHold;
    };
    // Each takes one stream, waits until the other holds its own, then asks for the other's.
    const importing = (first: string, second: string) =>
      store.importTransaction(async (writer) => {
        await writer.lockStreams([first]);
        await writer.write([{ streamId: first, events: notes(1) }]);
        await hold();
        await writer.lockStreams([second]);
        await writer.write([{ streamId: second, events: notes(1, 1) }]);
      });
    const outcomes = await Promise.allSettled([importing(a, b), importing(b, a)]);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(WriteDeadlockError);
    // The survivor's one event a stream, its first stream's note 0 and its second's note 1; nothing of the other.
    const notesOf = async (streamId: string) => (await store.readStream(streamId)).map((event) => (event.data as { n: number }).n);
    expect([...(await notesOf(a)), ...(await notesOf(b))].sort()).toEqual([0, 1]);
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 1 });
    expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 1 });
  });
});
