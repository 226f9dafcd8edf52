import { Readable } from 'node:stream';
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

  it('names bad data before bytes that are not UTF-8 after it, and the bytes when the lines before are valid', async () => {
    const latin1 = (lines: readonly unknown[]) => Buffer.concat([
      Buffer.from(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n{"accountId":"p5","type":"ContactLogged","data":{"summary":"Caf`),
      Buffer.from([0xe9]),
      Buffer.from('"},"occurredAt":"2025-01-04T10:00:00Z"}\n'),
    ]);
    const refusalOf = (body: Buffer) => importNdjson(store, Readable.from([body])).catch((error: unknown) => error);
    expect(await refusalOf(latin1([opened('p5'), invoice('p5', -5)]))).toMatchObject({ line: 2, code: 'INVALID_DATA' });
    expect(await refusalOf(latin1([opened('p5'), invoice('p5', 5)]))).toMatchObject({
      line: 3, code: 'INVALID_UTF8', message: expect.stringMatching(/^line 3: is not valid UTF-8/),
    });
    expect(await store.streamRevision('account-p5')).toBe(-1);
  });

  it('imports a name whose multi-byte characters are split across chunks', async () => {
    const body = Buffer.from(`${JSON.stringify({ ...opened('p6'), data: { ...opened('p6').data, name: 'Zoë 👍 Café' } })}\n`);
    const at = body.indexOf(Buffer.from('👍')) + 2;
    await importNdjson(store, Readable.from([body.subarray(0, at), body.subarray(at)]));
    const [event] = await store.readStream('account-p6');
    expect(event?.data).toMatchObject({ name: 'Zoë 👍 Café' });
  });

  it('names the line and field of a lone UTF-16 surrogate, which jsonb cannot store', async () => {
    expect(await refusal([opened('p7'), { ...invoice('p7', 5), type: 'ContactLogged', data: { channel: 'call', direction: 'inbound', summary: 'a\ud800b' } }]))
      .toMatchObject({ line: 2, code: 'INVALID_DATA', field: 'data.summary', message: expect.stringContaining('data.summary must not contain a lone UTF-16 surrogate') });
  });
});
