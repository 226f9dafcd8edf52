import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@ahe/database';
import { prepareBatch } from '../append-checks';
import type { NewEvent } from '../event-store.port';
import { backends, importHarness, metadata, note, notes, stored } from './import-transaction-harness.contract';
import { SqlEventStore } from './sql-event-store';

describe.each(backends)('SqlEventStore.importTransaction on %s', (_name, backend) => {
  const imports = importHarness(backend, { withReference: true });
  const { at, unique } = imports;
  const { concurrent } = backend;
  let store: SqlEventStore;
  let reference: SqlClient;
  beforeAll(() => {
    ({ store, reference } = imports);
  });

  it('stores the very rows appendStreams stores: revisions, JSON, recordedAt, metadata and hash chain', async () => {
    const [a, b] = [unique('a'), unique('b')];
    const other = await SqlEventStore.open(reference, { clock: () => at });
    const first = [note(0, '2026-01-01T00:00:00.000Z', randomUUID())];
    const later = [note(1, '2026-01-31T10:00:00+01:00', randomUUID()), note(2, '2026-02-29T00:00:00.000Z', randomUUID())];
    await store.append(a, first, 'no_stream');
    await other.append(a, first, 'no_stream');
    await store.importTransaction(async (writer) => {
      expect((await writer.lockStreams([a, b])).get(a)!.map(stored)).toEqual((await other.readStream(a)).map(stored));
      await Promise.all([writer.write([{ streamId: a, events: later }]), writer.write([{ streamId: b, events: notes(2) }])]);
    });
    await other.appendStreams([{ streamId: a, events: later, expected: 0 }]);
    expect((await store.readStream(a)).map(stored)).toEqual((await other.readStream(a)).map(stored));
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 3 });
    expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
  });

  it('writes instants as prepareBatch does, also those it takes as they are', async () => {
    const a = unique('a');
    const instants = ['2026-01-28T23:59:59.999Z', '2026-01-31T10:00:00.000Z', '2025-02-29T10:00:00.000Z', '2026-01-02T00:00:00Z', '2026-01-02T01:00:00.5+01:00'];
    const events = instants.map((instant, n) => note(n, instant));
    await store.importTransaction(async (writer) => {
      await writer.lockStreams([a]);
      await writer.write([{ streamId: a, events }]);
    });
    expect((await store.readStream(a)).map((event) => event.occurredAt)).toEqual(prepareBatch(a, events).map((event) => event.occurredAt));
  });

  it('stores text that COPY reads as escapes exactly as appendStreams does: backslashes, quotes, tabs and line breaks in JSON strings and stream ids', async () => {
    const awkward = ['back\\slash', '\\N', '\\.', 'tab\there', 'line\nbreak\r\n', 'quote " and \\"', 'ünïcödé 👍', '\\\\t'];
    const a = `${unique('a')}\\N "q" \\t`;
    const events = awkward.map((text, n): NewEvent => ({
      eventId: randomUUID(), type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z',
      data: { n, text, [text]: [text] }, metadata: { ...metadata, reason: text },
    }));
    const other = await SqlEventStore.open(reference, { clock: () => at });
    await store.importTransaction(async (writer) => {
      await writer.lockStreams([a]);
      await writer.write([{ streamId: a, events }]);
    });
    await other.appendStreams([{ streamId: a, events, expected: 'no_stream' }]);
    const imported = await store.readStream(a);
    expect(imported.map(stored)).toEqual((await other.readStream(a)).map(stored));
    expect(imported.map((event) => (event.data as { text: string }).text)).toEqual(awkward);
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: awkward.length });
  });

  it('chains the windows of one stream and moves its head once, at the end', async () => {
    const a = unique('a');
    await store.append(a, notes(2), 'no_stream');
    await store.importTransaction(async (writer) => {
      expect((await writer.lockStreams([a])).get(a)).toHaveLength(2);
      for (let window = 0; window < 3; window++) void writer.write([{ streamId: a, events: notes(4, 2 + window * 4) }]);
      // Readers elsewhere still see the head before the import (the embedded store serves none meanwhile).
      if (concurrent) expect(await store.streamRevision(a)).toBe(1);
    });
    expect(await store.streamRevision(a)).toBe(13);
    expect((await store.readStream(a)).map((event) => (event.data as { n: number }).n)).toEqual(Array.from({ length: 14 }, (_, n) => n));
    expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 14 });
    // The head is known afterwards: the next append continues the chain.
    expect((await store.append(a, [note(14)], 13)).revision).toBe(14);
  });
});
