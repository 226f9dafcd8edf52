import { IN_MEMORY } from '@ahe/database';
import { openEventStore, type EventStore } from '@ahe/event-store';
import { importNdjson } from './event-importer';
import { InvalidImportLineError } from './import.errors';

const opened = (accountId: string) => ({
  accountId, type: 'AccountOpened', occurredAt: '2025-01-01T10:00:00Z',
  data: { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR', contract: { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 1_200_000 } },
});
const invoice = (accountId: string, amount: number, occurredAt = '2025-01-03T10:00:00Z') =>
  ({ accountId, type: 'InvoiceIssued', occurredAt, data: { invoiceId: `${accountId}-i1`, amount, dueOn: '2025-02-15' } });

describe('importNdjson: each line validated once, the first invalid line named', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore({ kind: 'embedded', dataDir: IN_MEMORY });
  });
  afterAll(() => store.close());

  const refusal = async (lines: readonly unknown[]) => {
    const error = await importNdjson(store, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImportLineError);
    const { line, code, field } = error as InvalidImportLineError;
    return { line, code, field, message: (error as Error).message };
  };

  it('names bad data before a malformed line after it', async () => {
    expect(await refusal([opened('p1'), invoice('p1', -5), '{'])).toEqual({
      line: 2, code: 'INVALID_DATA', field: 'data.amount', message: 'line 2: InvoiceIssued data.amount must be greater than 0',
    });
  });

  it('names a rule broken before a malformed line after it', async () => {
    expect(await refusal([invoice('p2', 100), '{'])).toMatchObject({ line: 1, code: 'ACCOUNT_NOT_FOUND' });
  });

  it('reports bad data of a line before its time or the account\'s rules', async () => {
    expect(await refusal([opened('p3'), invoice('p3', -5, '2999-01-01T00:00:00Z')])).toMatchObject({ line: 2, code: 'INVALID_DATA', field: 'data.amount' });
    expect(await refusal([invoice('p4', -5)])).toMatchObject({ line: 1, code: 'INVALID_DATA' });
    expect(await store.streamRevision('account-p3')).toBe(-1);
  });
});
