import { InvalidEventError } from '../errors';
import { backends, importHarness, note, notes } from './import-transaction-harness.contract';
import type { SqlEventStore } from './sql-event-store';

describe.each(backends)('SqlEventStore.importTransaction on %s: a refused import stores nothing', (_name, backend) => {
  const imports = importHarness(backend);
  const { unique } = imports;
  let store: SqlEventStore;
  beforeAll(() => {
    ({ store } = imports);
  });

  it('refuses a row the database cannot store (a NUL in its JSON) as InvalidEventError, storing nothing of the import', async () => {
    const [a, b] = [unique('a'), unique('b')];
    const refused = store.importTransaction(async (writer) => {
      await writer.lockStreams([a, b]);
      await writer.write([{ streamId: a, events: notes(3) }]);
      await writer.write([{ streamId: b, events: [note(0), { ...note(1), data: { text: 'a\u0000b' } }] }]);
    });
    await expect(refused).rejects.toBeInstanceOf(InvalidEventError);
    await expect(refused).rejects.toThrow(/event rejected by the store/);
    expect(await store.streamRevision(a)).toBe(-1);
    expect(await store.streamRevision(b)).toBe(-1);
    // The connection went back to the pool clean: the next import works.
    await store.importTransaction(async (writer) => {
      await writer.lockStreams([a]);
      await writer.write([{ streamId: a, events: notes(2) }]);
    });
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 2 });
  });

  it('fails the statements asked for after a failed one with its error, and rolls back once they have all settled', async () => {
    const [a, b, c] = [unique('a'), unique('b'), unique('c')];
    await store.append(c, notes(1), 'no_stream');
    const asked: Promise<unknown>[] = [];
    const refused = store.importTransaction(async (writer) => {
      await writer.lockStreams([a, b]);
      // None awaited before the next is asked for: they go to the database together.
      asked.push(writer.write([{ streamId: a, events: [note(0), { ...note(1), data: { text: 'a\u0000b' } }] }]));
      asked.push(writer.lockStreams([c]));
      asked.push(writer.write([{ streamId: b, events: notes(2) }]));
      await Promise.all(asked);
    });
    await expect(refused).rejects.toBeInstanceOf(InvalidEventError);
    const [first, ...later] = await Promise.all(asked.map((one) => one.then(() => 'resolved', (error: unknown) => error)));
    expect(first).toBeInstanceOf(Error);
    expect((first as { code?: string }).code).toMatch(/^22/); // a data exception, not "current transaction is aborted"
    for (const one of later) expect(one).toBe(first);
    expect(await store.streamRevision(a)).toBe(-1);
    expect(await store.streamRevision(b)).toBe(-1);
    // The connection went back clean, and c was never held: an append and the next import work.
    expect((await store.append(c, [note(1)], 0)).revision).toBe(1);
    await store.importTransaction(async (writer) => {
      await writer.lockStreams([b]);
      await writer.write([{ streamId: b, events: notes(2) }]);
    });
    expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
  });

  it('stores nothing when the work throws, after writes already made', async () => {
    const [a, b] = [unique('a'), unique('b')];
    await store.append(b, notes(1), 'no_stream');
    const refused = store.importTransaction(async (writer) => {
      await writer.lockStreams([a, b]);
      await writer.write([{ streamId: a, events: notes(3) }, { streamId: b, events: notes(2, 1) }]);
      throw new Error('line 7 is invalid');
    });
    await expect(refused).rejects.toThrow('line 7 is invalid');
    expect(await store.streamRevision(a)).toBe(-1);
    expect(await store.readStream(b)).toHaveLength(1);
    expect((await store.append(b, [note(1)], 0)).revision).toBe(1);
  });
});
