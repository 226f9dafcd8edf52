import { randomUUID } from 'node:crypto';
import { foldedAccountOf, initialState } from '@ahe/domain';
import { openDatabase, type SqlClient } from '@ahe/database';
import { SqlEventStore } from '@ahe/event-store';
import type { AccountLedger } from './account-ledger';
import { GROUP_EVENTS, groupLedgers } from './grouped-appender';
import { ImportConflictError } from './import.errors';
import { appendLedgers } from './ledger-appender';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const metadata = { correlationId: 'import-1', actor: 'test' };
const contact = (n: number) =>
  ({ type: 'ContactLogged', schemaVersion: 1, occurredAt: '2025-01-02T00:00:00.000Z', data: { channel: 'email', direction: 'inbound', summary: `c${n}` }, metadata });
const ledger = (streamId: string, events: number, baseRevision = -1): AccountLedger => ({
  accountId: streamId, streamId, baseRevision, state: foldedAccountOf(initialState()), events: Array.from({ length: events }, (_, n) => contact(n)),
});

describe('grouping accounts for the multi-stream append', () => {
  it('packs accounts into groups of about GROUP_EVENTS events, a large account in ordered batches', () => {
    const small = Array.from({ length: 30 }, (_, n) => ledger(`s${n}`, 100));
    const groups = groupLedgers([...small, ledger('big', 1_200, 4)], 500);
    expect(groups.map((group) => group.events)).toEqual([GROUP_EVENTS, 1_500, 500, 200]);
    const big = groups.flatMap((group) => group.chunks.filter((chunk) => chunk.ledger.streamId === 'big'));
    expect(big.map((chunk) => [chunk.expected, chunk.events.length, chunk.lastOfAccount])).toEqual([[4, 500, false], [504, 500, false], [1_004, 200, true]]);
    // Each batch of the large account waits for the group holding the one before it.
    expect(big.map((chunk) => chunk.after)).toEqual([undefined, groups[1], groups[2]]);
    expect(groups[0]!.chunks[0]!.expected).toBe('no_stream');
  });
});

describe('appending grouped accounts on PostgreSQL', () => {
  const schema = `import_groups_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  let store: SqlEventStore;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    store = await SqlEventStore.open(sql);
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });
  const options = { batchSize: 500, concurrency: 2, onAppended: () => undefined };

  it('appends every account with a chain that verifies', async () => {
    const ledgers = [...Array.from({ length: 25 }, (_, n) => ledger(`account-g${n}`, 90)), ledger('account-big', 1_300)];
    expect(await appendLedgers(store, ledgers, options)).toBe(25 * 90 + 1_300);
    expect(await store.streamRevision('account-big')).toBe(1_299);
    expect(await store.verifyStream('account-big')).toEqual({ ok: true, checked: 1_300 });
    expect((await store.readStream('account-g7')).every((event) => event.metadata.correlationId === 'import-1')).toBe(true);
  });

  it('stops with a conflict when another writer appended to an account, keeping the groups before it', async () => {
    const ledgers = Array.from({ length: 30 }, (_, n) => ledger(`account-r${n}`, 100));
    await store.append('account-r25', [{ type: 'ContactLogged', schemaVersion: 1, occurredAt: '2025-01-01T00:00:00Z', data: {} }], 'no_stream');
    const attempt = appendLedgers(store, ledgers, { ...options, concurrency: 1 });
    await expect(attempt).rejects.toBeInstanceOf(ImportConflictError);
    await expect(attempt).rejects.toMatchObject({ streamId: 'account-r25', appended: { events: 2_000, accounts: 20 } });
    expect(await store.streamRevision('account-r19')).toBe(99);
    expect(await store.streamRevision('account-r20')).toBe(-1);
  });
});
