import { randomUUID } from 'node:crypto';
import { IN_MEMORY, PgliteClient, PgPoolClient, type SqlClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** COPY text of `rows`: fields by tabs, rows by line breaks, backslashes escaped. */
const copyText = (rows: readonly (readonly (string | number)[])[]) =>
  rows.map((row) => row.map((field) => String(field).replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n')).join('\t')).join('\n') + '\n';

/**
 * SqlTransaction.copyRows: on PostgreSQL the rows leave with the COPY statement, without waiting
 * for the server to ask for them (PipelinedCopyIn), so what the server does with rows it never
 * asked for matters as much as the rows it copies.
 */
function describeCopyRows(name: string, open: () => Promise<SqlClient>, close: (sql: SqlClient) => Promise<void>): void {
  describe(`copyRows on ${name}`, () => {
    let sql: SqlClient;
    let table = 0;
    const freshTable = async () => {
      const created = `copied_${++table}`;
      await sql.exec(`CREATE TABLE ${created} (n integer PRIMARY KEY, text text NOT NULL, doc jsonb NOT NULL)`);
      return created;
    };
    const contents = async (from: string) => (await sql.query<{ n: number; text: string; doc: unknown }>(`SELECT n, text, doc FROM ${from} ORDER BY n`)).rows;
    beforeAll(async () => (sql = await open()));
    afterAll(() => close(sql));

    it('copies the rows in one statement, escapes decoded, and answers how many', async () => {
      const notes = await freshTable();
      const texts = ['plain', 'back\\slash', 'tab\tand\nline', '\\N is not null here', 'ünï 👍'];
      const rows = texts.map((text, n) => [n, text, JSON.stringify({ text, n })]);
      const copied = await sql.transaction((tx) => tx.copyRows(notes, 'n, text, doc', copyText(rows)));
      expect(copied).toBe(texts.length);
      expect(await contents(notes)).toEqual(texts.map((text, n) => ({ n, text, doc: { text, n } })));
    });

    it('copies several statements in a row on one transaction, in order, and a large one whole', async () => {
      const notes = await freshTable();
      const big = 'x'.repeat(2_000);
      const counts = await sql.transaction(async (tx) => {
        const first = tx.copyRows(notes, 'n, text, doc', copyText([[0, 'a', '{}']]));
        // About 8 MB in one statement: more than the socket takes at once.
        const second = tx.copyRows(notes, 'n, text, doc', copyText(Array.from({ length: 4_000 }, (_, n) => [n + 1, big, `{"n":${n + 1}}`])));
        return Promise.all([first, second]);
      });
      expect(counts).toEqual([1, 4_000]);
      const { rows } = await sql.query<{ count: number; max: number }>(`SELECT count(*)::int AS count, max(n) AS max FROM ${notes}`);
      expect(rows).toEqual([{ count: 4_001, max: 4_000 }]);
    });

    it('fails a row the table refuses with the server’s error, storing nothing of the transaction, and the connection serves the next one', async () => {
      const notes = await freshTable();
      await sql.transaction((tx) => tx.copyRows(notes, 'n, text, doc', copyText([[1, 'kept', '{}']])));
      const refused = sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${notes} (n, text, doc) VALUES (2, 'inserted first', '{}')`);
        await tx.copyRows(notes, 'n, text, doc', copyText([[3, 'good', '{}'], [4, 'bad json', '{"a":'], [5, 'after', '{}']]));
      });
      await expect(refused).rejects.toMatchObject({ code: '22P02' });
      const duplicate = sql.transaction((tx) => tx.copyRows(notes, 'n, text, doc', copyText([[6, 'new', '{}'], [1, 'again', '{}']])));
      await expect(duplicate).rejects.toMatchObject({ code: '23505' });
      expect(await contents(notes)).toEqual([{ n: 1, text: 'kept', doc: {} }]);
      await sql.transaction((tx) => tx.copyRows(notes, 'n, text, doc', copyText([[7, 'next', '{}']])));
      expect((await contents(notes)).map((row) => row.n)).toEqual([1, 7]);
    });

    it('fails a COPY the server refuses before reading its rows (no such table): the rows sent with it are dropped, not run', async () => {
      const notes = await freshTable();
      // Rows that would be statements if the server read them as such.
      const rows = `1\tx\t{}\nDROP TABLE ${notes};\n`;
      await expect(sql.transaction((tx) => tx.copyRows(`missing_${table}`, 'n, text, doc', rows))).rejects.toMatchObject({ code: '42P01' });
      await sql.transaction((tx) => tx.copyRows(notes, 'n, text, doc', copyText([[1, 'still here', '{}']])));
      expect(await contents(notes)).toEqual([{ n: 1, text: 'still here', doc: {} }]);
    });
  });
}

let schema = '';
describeCopyRows(
  'PostgreSQL',
  async () => {
    schema = `copy_rows_${randomUUID().slice(0, 8)}`;
    const setup = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 1 });
    await setup.exec(`CREATE SCHEMA ${schema}`).finally(() => setup.close());
    // One connection: every transaction reuses the one a failed COPY left behind.
    return new PgPoolClient({ connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
  },
  async (sql) => {
    await sql.exec(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  },
);

describeCopyRows('the embedded database', () => PgliteClient.open(IN_MEMORY), (sql) => sql.close());
