import { randomUUID } from 'node:crypto';
import { DomainError, type AccountCommand } from '@ahe/domain';
import { openDatabase, type SqlClient } from '@ahe/database';
import { SqlEventStore, WrongExpectedRevisionError } from '@ahe/event-store';
import { runAccountCommand, type AccountCommandOptions } from './account-command-runner';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = new Date('2026-01-10T00:00:00.000Z');

describe('runAccountCommand with states folded by earlier commands', () => {
  const schema = `commands_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  // Two stores on one database: two processes, each with its own folded states.
  let here: SqlEventStore;
  let elsewhere: SqlEventStore;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    here = await SqlEventStore.open(sql);
    elsewhere = await SqlEventStore.open(sql);
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  const run = (store: SqlEventStore, accountId: string, command: AccountCommand, options: Partial<AccountCommandOptions> = {}) =>
    runAccountCommand(store, accountId, command, { metadata: { actor: 'test' }, ...options }, () => NOW);
  const opened = async () => {
    const accountId = `acc-${randomUUID().slice(0, 8)}`;
    await run(here, accountId, { type: 'OpenAccount', data: { accountId, name: 'Acme', segment: 'smb', managerId: 'mgr-ada', currency: 'EUR' } });
    return accountId;
  };
  const contact: AccountCommand = { type: 'LogContact', data: { channel: 'email', direction: 'inbound', summary: 'hello' } };

  it('decides on the current stream when another writer moved it past the folded state', async () => {
    const accountId = await opened();
    await run(elsewhere, accountId, { type: 'IssueInvoice', data: { invoiceId: 'INV-1', amount: 100, dueOn: '2026-02-01' } });
    // The state folded here knows no invoice: the refusal is checked again on the stream.
    const paid = await run(here, accountId, { type: 'RecordPayment', data: { invoiceId: 'INV-1', amount: 100 } });
    expect(paid.revision).toBe(2);
    await expect(run(here, accountId, { type: 'RecordPayment', data: { invoiceId: 'INV-1', amount: 1 } })).rejects.toBeInstanceOf(DomainError);
    expect((await here.readStream(`account-${accountId}`)).map((event) => event.type)).toEqual(['AccountOpened', 'InvoiceIssued', 'InvoicePaid']);
  });

  it('appends at the revision of If-Match even when the folded state is behind it, and refuses a stale one', async () => {
    const accountId = await opened();
    await run(elsewhere, accountId, contact);
    expect((await run(here, accountId, contact, { expectedRevision: 1 })).revision).toBe(2);
    await run(elsewhere, accountId, contact);
    await expect(run(here, accountId, contact, { expectedRevision: 2 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await run(here, accountId, contact)).revision).toBe(4);
  });

  it('answers a retry with the same event ids as the first append, without appending again', async () => {
    const accountId = await opened();
    const eventIdOf = () => '6f1f7c3e-5a43-4c55-9a43-0d6f3c7a2b10'.replace('0d6f', randomUUID().slice(0, 4));
    const ids = eventIdOf();
    const first = await run(here, accountId, contact, { eventIdOf: () => ids });
    const retry = await run(here, accountId, contact, { eventIdOf: () => ids });
    expect(retry).toMatchObject({ revision: first.revision, duplicate: true });
    expect((await run(here, accountId, contact)).revision).toBe(first.revision + 1);
  });
});
