import { IN_MEMORY } from '@ahe/database';
import { openEventStore, type EventStore } from '@ahe/event-store';
import { importNdjson } from './event-importer';
import type { TransactionalImportStore } from './one-transaction-import';

const opened = (accountId: string) => ({
  accountId, type: 'AccountOpened', occurredAt: '2025-01-01T10:00:00Z',
  data: { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR', contract: { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 1_200_000 } },
});
const contact = (accountId: string, n: number) => ({
  accountId, type: 'ContactLogged', occurredAt: new Date(Date.parse('2025-01-02T00:00:00Z') + n * 60_000).toISOString(),
  data: { channel: 'call', direction: 'outbound', summary: `call ${n}`, sentiment: 0.5 },
});

describe('importNdjson in one transaction: windows and writes', () => {
  let store: EventStore;
  const writes: number[] = [];
  beforeAll(async () => {
    store = await openEventStore({ kind: 'embedded', dataDir: IN_MEMORY });
    // Records the events of each write statement the import asks for.
    const transactional = store as TransactionalImportStore;
    const importTransaction = transactional.importTransaction.bind(store);
    transactional.importTransaction = (work) => importTransaction((writer) => work({
      lockStreams: (streamIds) => writer.lockStreams(streamIds),
      write: (batch) => {
        writes.push(batch.reduce((sum, { events }) => sum + events.length, 0));
        return writer.write(batch);
      },
      record: (text, params) => writer.record(text, params),
    }));
  });
  afterAll(() => store.close());

  it('writes small windows first, then the last window in parts as it is admitted, each stream in line order', async () => {
    const accounts = ['w1', 'w2', 'w3'];
    const lines = [...accounts.map(opened), ...Array.from({ length: 1_600 }, (_, n) => contact(accounts[n % 3]!, n))];
    const result = await importNdjson(store, lines.map((line) => JSON.stringify(line)));

    expect(result).toMatchObject({ lines: 1_603, events: 1_603, accounts: 3 });
    // Windows of 250, 500, then the rest (853 lines, less than 1,000): the last written 250 lines at a time.
    expect(writes).toEqual([250, 500, 250, 250, 250, 103]);
    for (const accountId of accounts) {
      const stored = await store.readStream(`account-${accountId}`);
      expect(stored.map((event) => (event.data as { summary?: string }).summary ?? event.type))
        .toEqual(lines.filter((line) => line.accountId === accountId).map((line) => (line.data as { summary?: string }).summary ?? line.type));
      expect((await store.verifyStream(`account-${accountId}`)).ok).toBe(true);
    }
  });
});
