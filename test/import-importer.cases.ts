import { Readable } from 'node:stream';
import { WrongExpectedRevisionError, type EventStore } from '@ahe/event-store';
import { ImportConflictError, importNdjson, InvalidImportLineError, type ImportProgress } from '@ahe/import';

/**
 * The importer's behaviour, run on each store (import-embedded.spec.ts, import-postgres.spec.ts).
 * Every test uses its own account ids, so the tests share one store.
 */
export const ndjson = (lines: readonly unknown[]): string => lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

export function accountLines(accountId: string): Record<string, unknown>[] {
  const at = (day: number) => `2025-0${1 + Math.floor(day / 28)}-${String(1 + (day % 28)).padStart(2, '0')}T10:00:00Z`;
  return [
    { accountId, type: 'AccountOpened', occurredAt: at(0), data: { name: `Acme ${accountId}`, segment: 'smb', managerId: 'mgr-1', currency: 'EUR', contract: { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 1_200_000 } } },
    { accountId, streamId: `account-${accountId}`, type: 'ContactLogged', occurredAt: at(2), data: { channel: 'call', direction: 'outbound', summary: 'Kick-off', sentiment: 0.5 } },
    { accountId, type: 'InvoiceIssued', occurredAt: at(3), data: { invoiceId: `${accountId}-i1`, amount: 100_000, dueOn: '2025-02-15' } },
    { accountId, type: 'InvoicePaid', occurredAt: at(10), data: { invoiceId: `${accountId}-i1`, amount: 40_000 } },
    { accountId, type: 'ComplaintRaised', occurredAt: at(12), data: { complaintId: `${accountId}-c1`, severity: 'high', category: 'outage', description: 'Down', slaDueAt: '2025-01-14T10:00:00Z' } },
    { accountId, type: 'ComplaintResolved', occurredAt: at(13), data: { complaintId: `${accountId}-c1`, resolution: 'Fixed' } },
    { accountId, type: 'InvoicePaid', occurredAt: '2025-02-02T11:30:00+01:00', data: { invoiceId: `${accountId}-i1`, amount: 60_000 } },
  ];
}

async function logSnapshot(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  for (let batch = await store.readAll({ limit: 1000 }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: 1000 })) {
    ids.push(...batch.events.map((event) => event.eventId));
  }
  return ids;
}

export interface ImporterCaseOptions {
  /** Other connections can write while an import runs (PostgreSQL; the embedded store runs one transaction at a time). */
  readonly concurrentWriters?: boolean;
}

export function describeImporter(storeOf: () => EventStore, options: ImporterCaseOptions = {}): void {
  let store: EventStore;
  beforeAll(() => (store = storeOf()));
  const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

  it('imports a valid file: each stream holds its events in line order, with the import as correlation id', async () => {
    const [a, b] = [unique('valid-a'), unique('valid-b')];
    const linesA = accountLines(a);
    const linesB = accountLines(b);
    // Interleaved accounts and a blank line: line numbers count it, lines and events do not.
    const file = ndjson([...linesA.slice(0, 3), ...linesB, '', ...linesA.slice(3)]);
    const progress: ImportProgress[] = [];
    const result = await importNdjson(store, Readable.from([file]), { onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ lines: 14, events: 14, accounts: 2, streams: 2 });
    for (const [id, lines] of [[a, linesA], [b, linesB]] as const) {
      const events = await store.readStream(`account-${id}`);
      expect(events.map((event) => [event.revision, event.type, event.data])).toEqual(lines.map((line, revision) => [revision, line.type, line.data]));
      expect(events.every((event) => event.metadata.correlationId === result.importId)).toBe(true);
    }
    const last = (await store.readStream(`account-${a}`)).at(-1)!;
    expect(last.occurredAt).toBe('2025-02-02T10:30:00.000Z');
    expect(progress.map((p) => p.phase)).toEqual(['validate', 'append', 'append']);
    expect(progress.at(-1)).toEqual({ phase: 'append', done: 14, total: 14 });
  });

  it('validates against what the store holds: a second import continues an existing account', async () => {
    const id = unique('existing');
    const lines = accountLines(id);
    await importNdjson(store, lines.slice(0, 4).map((line) => JSON.stringify(line)));
    const result = await importNdjson(store, Readable.from([ndjson(lines.slice(4))]));
    expect(result).toMatchObject({ events: 3, accounts: 1 });
    expect((await store.readStream(`account-${id}`)).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  const invalidCases: [string, (id: string) => unknown, string, string | undefined][] = [
    ['broken JSON', () => '{"accountId": "x", "type": ', 'INVALID_JSON', undefined],
    ['a line that is not an object', () => '[1, 2]', 'INVALID_LINE', undefined],
    ['an unknown field', (id) => ({ ...accountLines(id)[1], revision: 3 }), 'UNKNOWN_FIELD', 'revision'],
    ['an unknown type', (id) => ({ ...accountLines(id)[1], type: 'AccountDeleted' }), 'UNKNOWN_TYPE', 'type'],
    ['bad data, naming the field', (id) => ({ ...accountLines(id)[2], data: { invoiceId: 'i9', amount: 19.99, dueOn: '2025-03-01' } }), 'INVALID_DATA', 'data.amount'],
    ['a bad occurredAt', (id) => ({ ...accountLines(id)[1], occurredAt: 'yesterday' }), 'INVALID_FIELD', 'occurredAt'],
    ['a streamId that is not the account\'s', (id) => ({ ...accountLines(id)[1], streamId: 'account-someone-else' }), 'STREAM_MISMATCH', 'streamId'],
    ['a payment of an unknown invoice', (id) => ({ ...accountLines(id)[3], data: { invoiceId: 'nope', amount: 5 } }), 'UNKNOWN_INVOICE', 'data.invoiceId'],
    ['an overpayment', (id) => ({ ...accountLines(id)[3], data: { invoiceId: `${id}-i1`, amount: 200_000 } }), 'OVERPAYMENT', 'data.amount'],
    ['an event on an account never opened', () => accountLines(unique('ghost'))[1], 'ACCOUNT_NOT_FOUND', undefined],
    ['an event in the future', (id) => ({ ...accountLines(id)[1], occurredAt: '2999-01-01T00:00:00Z' }), 'OCCURRED_IN_FUTURE', 'occurredAt'],
    ['an account opened twice', (id) => accountLines(id)[0], 'ACCOUNT_ALREADY_EXISTS', 'accountId'],
  ];

  it.each(invalidCases)('refuses %s with its line number and appends nothing', async (_name, badLine, code, field) => {
    const [id, other] = [unique('bad'), unique('other')];
    const before = await logSnapshot(store);
    // Valid lines of two accounts first (4 lines, then a blank one), the bad one on line 6, more after it.
    const file = ndjson([...accountLines(other).slice(0, 2), ...accountLines(id).slice(0, 3), badLine(id), ...accountLines(other).slice(2)]);
    const refused = importNdjson(store, Readable.from([file.replace('\n', '\n\n')]));
    await expect(refused).rejects.toBeInstanceOf(InvalidImportLineError);
    const error = (await refused.catch((e: unknown) => e)) as InvalidImportLineError;
    expect({ line: error.line, code: error.code, field: error.field, status: error.status }).toEqual({ line: 7, code, field, status: 400 });
    expect(error.message).toMatch(/^line 7: /);
    expect(await logSnapshot(store)).toEqual(before);
    expect(await store.streamRevision(`account-${id}`)).toBe(-1);
  });

  /** An opened account and `count` contacts a minute apart: a file of more than one window of the importer. */
  const bigAccount = (id: string, count: number) => [
    accountLines(id)[0]!,
    ...Array.from({ length: count }, (_, n) => ({ ...accountLines(id)[1], occurredAt: new Date(Date.parse('2025-01-02T00:00:00Z') + n * 60_000).toISOString() })),
  ].map((line) => JSON.stringify(line));

  it('refuses an invalid last line of a file of several windows, with its number, and stores nothing', async () => {
    const [big, other] = [unique('big-bad'), unique('other')];
    const lines = [...accountLines(other).map((line) => JSON.stringify(line)), ...bigAccount(big, 5_000)];
    lines.push(JSON.stringify({ ...accountLines(big)[3], data: { invoiceId: 'nope', amount: 5 } }));
    const refused = await importNdjson(store, lines).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidImportLineError);
    expect(refused).toMatchObject({ line: lines.length, code: 'UNKNOWN_INVOICE' });
    expect(await store.streamRevision(`account-${big}`)).toBe(-1);
    expect(await store.streamRevision(`account-${other}`)).toBe(-1);
  });

  (options.concurrentWriters ? it : it.skip)('refuses the whole import (409, nothing stored) when another writer appended to one of its accounts after it began', async () => {
    const [big, late] = [unique('big'), unique('late')];
    await importNdjson(store, [JSON.stringify(accountLines(late)[0])]);
    const racing = async function* () {
      // Two windows of `big`: by the time the importer reads past them, the import's transaction holds big.
      yield* bigAccount(big, 4_200);
      await store.append(`account-${late}`, [{ type: 'ContactLogged', schemaVersion: 1, occurredAt: '2025-01-05T00:00:00Z', data: accountLines(late)[1]!.data }], 0);
      yield JSON.stringify(accountLines(late)[1]);
    };
    const attempt = importNdjson(store, racing());
    await expect(attempt).rejects.toBeInstanceOf(ImportConflictError);
    await expect(attempt).rejects.toMatchObject({ status: 409, streamId: `account-${late}`, appended: { events: 0, accounts: 0 } });
    expect(await store.streamRevision(`account-${big}`)).toBe(-1);
    expect((await store.readStream(`account-${late}`)).map((event) => event.type)).toEqual(['AccountOpened', 'ContactLogged']);
    expect((await store.verifyStream(`account-${late}`)).ok).toBe(true);
  });

  it('makes an append to an account it holds wait, then refuses the append\'s stale expected revision', async () => {
    const id = unique('held');
    await importNdjson(store, [JSON.stringify(accountLines(id)[0])]);
    let validated!: () => void;
    const held = new Promise<void>((resolve) => (validated = resolve));
    const importing = importNdjson(store, accountLines(id).slice(1, 3).map((line) => JSON.stringify(line)), {
      onProgress: (progress) => progress.phase === 'append' && validated(),
    });
    // Once the import has validated (and holds the account), another writer appends expecting revision 0.
    await held;
    const late = store.append(`account-${id}`, [{ type: 'ContactLogged', schemaVersion: 1, occurredAt: '2025-01-05T00:00:00Z', data: accountLines(id)[1]!.data }], 0)
      .catch((error: unknown) => error);
    const result = await importing;
    expect(result.events).toBe(2);
    expect(await late).toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream(`account-${id}`)).map((event) => event.type)).toEqual(['AccountOpened', 'ContactLogged', 'InvoiceIssued']);
    expect((await store.verifyStream(`account-${id}`)).ok).toBe(true);
  });

  it('appends a large account in several batches, each expecting the previous revision', async () => {
    const id = unique('big');
    const contacts = Array.from({ length: 1_203 }, (_, n) => ({ ...accountLines(id)[1], occurredAt: new Date(Date.parse('2025-01-02T00:00:00Z') + n * 60_000).toISOString() }));
    const result = await importNdjson(store, [accountLines(id)[0], ...contacts].map((line) => JSON.stringify(line)), { batchSize: 250 });
    expect(result.events).toBe(1_204);
    expect(await store.streamRevision(`account-${id}`)).toBe(1_203);
    expect((await store.verifyStream(`account-${id}`)).ok).toBe(true);
  });
}
