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
