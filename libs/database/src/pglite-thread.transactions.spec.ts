import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY, PGLITE_THREADINGS, PgliteClient, type SqlQueryable } from './index';

describe('PGlite on a worker thread of its own', () => {
  describe.each(PGLITE_THREADINGS)('transactions on the %s thread', (thread) => {
    let client: PgliteClient;
    beforeAll(async () => {
      client = await PgliteClient.open(IN_MEMORY, thread);
      await client.query('CREATE TABLE ledger (id int PRIMARY KEY, amount int NOT NULL)');
      await client.query('CREATE TABLE pairs (id int, CONSTRAINT once UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)');
    });
    afterAll(() => client.close());

    it('commits what the work wrote and resolves to what it returned', async () => {
      const returned = await client.transaction(async (tx) => {
        await tx.query('INSERT INTO ledger VALUES (1, 10), (2, 20)');
        return (await tx.query<{ total: number }>('SELECT sum(amount)::int AS total FROM ledger')).rows[0]!.total;
      });
      expect(returned).toBe(30);
      expect((await client.query('SELECT id FROM ledger ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('rolls back everything when the work throws, rejecting with the work’s own error', async () => {
      const failure = new Error('the work changed its mind');
      await expect(
        client.transaction(async (tx) => {
          await tx.query('INSERT INTO ledger VALUES (3, 30)');
          await tx.query('UPDATE ledger SET amount = 0');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect((await client.query('SELECT id, amount FROM ledger ORDER BY id')).rows).toEqual([
        { id: 1, amount: 10 },
        { id: 2, amount: 20 },
      ]);
    });

    it('rejects with the error of a commit that fails (a deferred constraint) and keeps none of the work', async () => {
      const commit = client.transaction(async (tx) => {
        await tx.query('INSERT INTO ledger VALUES (4, 40)');
        await tx.query('INSERT INTO pairs VALUES (1)');
        await tx.query('INSERT INTO pairs VALUES (1)'); // checked only at COMMIT
      });
      await expect(commit).rejects.toMatchObject({ code: '23505', constraint: 'once' });
      expect((await client.query('SELECT count(*)::int AS n FROM ledger WHERE id = 4')).rows).toEqual([{ n: 0 }]);
      expect((await client.query('SELECT count(*)::int AS n FROM pairs')).rows).toEqual([{ n: 0 }]);
    });

    it('delivers NOTIFY payloads to a listener until it unlistens', async () => {
      const heard: string[] = [];
      const unlisten = await client.listen('ledger_moved', (payload) => heard.push(payload));
      await client.query(`SELECT pg_notify('ledger_moved', 'one')`);
      await client.transaction(async (tx) => void (await tx.query(`SELECT pg_notify('ledger_moved', 'two')`)));
      await waitUntil(() => heard.length === 2);
      await unlisten();
      await client.query(`SELECT pg_notify('ledger_moved', 'three')`);
      await client.query('SELECT 1');
      expect(heard).toEqual(['one', 'two']);
    });

    it('refuses a statement on a transaction that has ended', async () => {
      let ended: SqlQueryable | undefined;
      await client.transaction(async (tx) => void (ended = tx));
      await expect(ended!.query('SELECT 1')).rejects.toThrow(/transaction is closed/i);
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('rejects statements once closed instead of leaving them pending', async () => {
      const closing = await PgliteClient.open(IN_MEMORY, thread);
      await closing.close();
      await expect(closing.query('SELECT 1')).rejects.toThrow(/closed/i);
      await expect(closing.transaction(async () => 'never')).rejects.toThrow(/closed/i);
    });

    it('closes once when closed twice at once, refuses statements sent meanwhile, and frees the folder', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ahe-pglite-close-'));
      try {
        const first = await PgliteClient.open(dir, thread);
        await first.query('CREATE TABLE kept (n int)');
        await first.query('INSERT INTO kept VALUES (1)');
        const closes = [first.close(), first.close()];
        await expect(first.query('SELECT 1')).rejects.toThrow(/clos/i);
        await Promise.all(closes);
        const reopened = await PgliteClient.open(dir, thread);
        try {
          expect((await reopened.query('SELECT n FROM kept')).rows).toEqual([{ n: 1 }]);
        } finally {
          await reopened.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
