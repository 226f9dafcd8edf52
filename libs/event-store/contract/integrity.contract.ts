import type { EventStore } from '../src';
import { endOfLog, events, readAllAfter, streamName, type ContractHarness } from './harness.contract';

export function integrityContract(harness: ContractHarness): void {
  describe('integrity', () => {
    let failNextCommit = false;
    let store: EventStore;
    beforeAll(async () => {
      store = await harness.open({
        beforeCommit: async () => {
          if (failNextCommit) {
            failNextCommit = false;
            throw new Error('crash before commit');
          }
        },
      });
    });
    afterAll(() => store.close());

    it('leaves no trace of an append whose transaction rolls back', async () => {
      const start = await endOfLog(store);
      const stream = streamName();
      failNextCommit = true;
      await expect(store.append(stream, events(5), 'no_stream')).rejects.toThrow('crash before commit');

      expect(await store.streamRevision(stream)).toBe(-1);
      expect(await store.readStream(stream)).toEqual([]);
      expect(await readAllAfter(store, start)).toEqual([]);
      const retried = await store.append(stream, events(2), 'no_stream');
      expect(retried.firstRevision).toBe(0);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 2 });

      failNextCommit = true;
      await expect(store.append(stream, events(3), 1)).rejects.toThrow('crash before commit');
      expect(await store.readStream(stream)).toHaveLength(2);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 2 });
    });

    it('verifies an intact hash chain, across pages', async () => {
      const stream = streamName();
      for (let i = 0; i < 3; i++) await store.append(stream, events(500));
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 1500 });
      expect(await store.verifyStream(streamName())).toEqual({ ok: true, checked: 0 });
    });

    it('verifies consistently while the stream is being written', async () => {
      const writer = await harness.open();
      const stream = streamName();
      await writer.append(stream, events(1), 'no_stream');
      let appended = 1;
      let writing = true;
      const write = async () => {
        try {
          for (let i = 0; i < 100; i++) appended += (await writer.append(stream, events(1 + (i % 3)), 'any')).eventIds.length;
        } finally {
          writing = false;
        }
      };
      const results: { ok: boolean; checked: number }[] = [];
      const verify = async () => {
        while (results.length < 50 || (writing && results.length < 1000)) results.push(await store.verifyStream(stream));
      };
      await Promise.all([write(), verify()]);
      await writer.close();

      const broken = results.filter((result) => !result.ok);
      expect({ broken: broken.length, of: results.length, first: broken.slice(0, 3) }).toEqual({ broken: 0, of: results.length, first: [] });
      const counts = results.map((result) => result.checked);
      expect(counts).toEqual([...counts].sort((x, y) => x - y)); // a later snapshot never sees less
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: appended });
    });

    const rewindHead = harness.rewindHead?.bind(harness);
    (rewindHead ? it : it.skip)('notices a stream head moved back behind the store’s back', async () => {
      const stream = streamName();
      await store.append(stream, events(5));
      await rewindHead!(stream, 2);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false });
    });

    const removeHead = harness.removeHead?.bind(harness);
    (removeHead ? it : it.skip)('notices a stream head that was deleted while its events remain', async () => {
      const stream = streamName();
      await store.append(stream, events(3));
      await removeHead!(stream);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false, brokenAt: 0 });
    });

    const tamper = harness.tamper?.bind(harness);
    (tamper ? it : it.skip)('names the first revision whose stored content was changed', async () => {
      const stream = streamName();
      await store.append(stream, events(10));
      await tamper!(stream, 6);
      await tamper!(stream, 8);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: false, brokenAt: 6, checked: 7 });
    });

    const remove = harness.remove?.bind(harness);
    (remove ? it : it.skip)('names a revision that was deleted, in the middle or at the end', async () => {
      const middle = streamName();
      await store.append(middle, events(5));
      await remove!(middle, 2);
      expect(await store.verifyStream(middle)).toMatchObject({ ok: false, brokenAt: 2 });
      const tail = streamName();
      await store.append(tail, events(5));
      await remove!(tail, 4);
      expect(await store.verifyStream(tail)).toMatchObject({ ok: false, brokenAt: 4 });
    });
  });
}
