import { parse, PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import { IN_MEMORY, PGLITE_THREADINGS, PgliteClient } from './index';
import { NamedStatements, STATEMENT_LIFETIME_MS } from './pglite-named-statements';

/** Whether the session holds a prepared statement of that name. */
const PREPARED_SQL = `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = $1`;

describe.each(PGLITE_THREADINGS)('named statements on the embedded database (PGlite on the %s thread)', (thread) => {
  let client: PgliteClient;
  let table = 0;
  /** A fresh table per test, so one test's statements and rows cannot leak into the next. */
  const freshTable = async () => {
    const name = `items_${++table}`;
    await client.exec(`CREATE TABLE ${name} (id int PRIMARY KEY, label text, at timestamptz, doc jsonb, tags text[])`);
    await client.query(`INSERT INTO ${name} VALUES (1, 'one', '2026-01-02T03:04:05Z', '{"a": [1, 2]}', '{x,y}'), (2, 'two', NULL, NULL, NULL)`);
    return name;
  };
  const isPrepared = async (name: string) => (await client.query<{ n: number }>(PREPARED_SQL, [name])).rows[0]!.n === 1;
  beforeAll(async () => (client = await PgliteClient.open(IN_MEMORY, thread)));
  afterAll(() => client.close());

  it('answers the rows and types the unnamed statement answers, and stays prepared for the next call', async () => {
    const items = await freshTable();
    const text = `SELECT id, label, at, doc, tags, $1::int AS asked FROM ${items} WHERE id >= $1 ORDER BY id`;
    const unnamed = await client.query(text, [1]);
    const named = await client.query(text, [1], `ahe_test_select_${items}`);
    expect(named.rows).toEqual(unnamed.rows);
    expect(named.rows[0]).toEqual({ id: 1, label: 'one', at: new Date('2026-01-02T03:04:05Z'), doc: { a: [1, 2] }, tags: ['x', 'y'], asked: 1 });
    expect(await isPrepared(`ahe_test_select_${items}`)).toBe(true);
    // Bound anew: other values, other rows.
    expect((await client.query<{ id: number }>(text, [2], `ahe_test_select_${items}`)).rows.map((row) => row.id)).toEqual([2]);
  });

  it('sends each parameter as its type wants it: a Date, an object as JSON, an array, null', async () => {
    const items = await freshTable();
    const name = `ahe_test_insert_${items}`;
    const insert = `INSERT INTO ${items} (id, label, at, doc, tags) VALUES ($1, $2, $3, $4, $5) RETURNING id, at, doc, tags`;
    const { rows } = await client.query(insert, [3, null, new Date('2026-12-06T07:00:00Z'), { b: 'c"d' }, ['p', 'q r']], name);
    expect(rows).toEqual([{ id: 3, at: new Date('2026-12-06T07:00:00Z'), doc: { b: 'c"d' }, tags: ['p', 'q r'] }]);
  });

  it('runs inside a transaction, and a rollback undoes its rows but not the statement', async () => {
    const items = await freshTable();
    const name = `ahe_test_tx_insert_${items}`;
    const insert = `INSERT INTO ${items} (id, label) VALUES ($1, $2)`;
    await expect(
      client.transaction(async (tx) => {
        await tx.query(insert, [10, 'ten'], name);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await client.query(`SELECT id FROM ${items} WHERE id = 10`)).rows).toEqual([]);
    expect(await isPrepared(name)).toBe(true);
    await client.transaction((tx) => tx.query(insert, [11, 'eleven'], name));
    expect((await client.query(`SELECT label FROM ${items} WHERE id = 11`)).rows).toEqual([{ label: 'eleven' }]);
  });

  it("fails with PostgreSQL's error when the statement cannot be prepared, and prepares it once it can", async () => {
    const name = 'ahe_test_later';
    const text = 'SELECT count(*)::int AS n FROM later_items';
    await expect(client.query(text, [], name)).rejects.toMatchObject({ code: '42P01' });
    expect(await isPrepared(name)).toBe(false);
    await client.exec('CREATE TABLE later_items (n int)');
    expect((await client.query(text, [], name)).rows).toEqual([{ n: 0 }]);
    // The failed statement left the session usable, inside a transaction as outside.
    expect((await client.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one', [], 'ahe_test_one'))).rows).toEqual([{ one: 1 }]);
  });

  it('reads the new table when a view it reads is replaced, as its plan is on PostgreSQL', async () => {
    const first = await freshTable();
    const second = await freshTable();
    await client.query(`DELETE FROM ${second} WHERE id = 1`);
    await client.exec(`CREATE VIEW items_view AS SELECT * FROM ${first}`);
    const text = 'SELECT id FROM items_view ORDER BY id';
    expect((await client.query(text, [], 'ahe_test_view')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    await client.exec(`DROP VIEW items_view; CREATE VIEW items_view AS SELECT * FROM ${second}`);
    expect((await client.query(text, [], 'ahe_test_view')).rows).toEqual([{ id: 2 }]);
  });

  it('is parsed once: later calls bind the statement PostgreSQL already holds', async () => {
    const items = await freshTable();
    const name = `ahe_test_once_${items}`;
    const preparedAt = async () => (await client.query<{ at: Date }>('SELECT prepare_time AS at FROM pg_prepared_statements WHERE name = $1', [name])).rows[0]!.at;
    await client.query(`SELECT id FROM ${items} WHERE id = $1`, [1], name);
    const first = await preparedAt();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.query(`SELECT id FROM ${items} WHERE id = $1`, [2], name);
    expect(await preparedAt()).toEqual(first);
  });

  it("fails a call with PostgreSQL's error and keeps the statement for the next, inside a transaction as outside", async () => {
    const items = await freshTable();
    const name = `ahe_test_unique_insert_${items}`;
    const insert = `INSERT INTO ${items} (id) VALUES ($1)`;
    await expect(client.query(insert, [1], name)).rejects.toMatchObject({ code: '23505' });
    await expect(client.transaction((tx) => tx.query(insert, [2], name))).rejects.toMatchObject({ code: '23505' });
    await client.query(insert, [3], name);
    expect((await client.query(`SELECT id FROM ${items} ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('waits outside a transaction for the one open, as an unnamed statement does, and never joins it', async () => {
    const items = await freshTable();
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = client.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${items} (id) VALUES (7)`);
      inserted();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll back');
    });
    await insertDone;
    // Run inside the open transaction, it would see its uncommitted row.
    const counted = client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${items} WHERE id = 7`, [], `ahe_test_wait_${items}`);
    await expect(rolledBack).rejects.toThrow('roll back');
    expect((await counted).rows).toEqual([{ n: 0 }]);
  });

  it('refuses a name given to another text, as node-pg does on PostgreSQL', async () => {
    const items = await freshTable();
    await client.query(`SELECT id FROM ${items}`, [], `ahe_test_unique_${items}`);
    await expect(client.query(`SELECT label FROM ${items}`, [], `ahe_test_unique_${items}`)).rejects.toThrow(/Prepared statements must be unique/);
  });
});

describe('named statements on the embedded database, as they age', () => {
  let db: PGlite;
  let clock = 0;
  let named: NamedStatements;
  const preparedNames = async () => (await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((row) => row.name);
  beforeEach(async () => {
    clock = 0;
    db = await PGlite.create();
    await db.exec('CREATE TABLE aged (id int PRIMARY KEY)');
    named = new NamedStatements(db, protocol.serialize, parse.parseResults, () => clock);
  });
  afterEach(() => db.close());

  it('refuse a call on a transaction that has ended, as PGlite does', async () => {
    let ended!: Transaction;
    await db.transaction(async (tx) => void (ended = tx));
    await expect(named.query('ahe_test_ended', 'SELECT 1', [], ended)).rejects.toThrow('Transaction is closed');
  });

  it('take over a name the session holds but they do not know (a call that failed after its Parse)', async () => {
    await db.exec('PREPARE ahe_test_orphan AS SELECT 1 AS one');
    expect((await named.query('ahe_test_orphan', 'SELECT 2 AS two', [], undefined)).rows).toEqual([{ two: 2 }]);
  });

  it('close their statements inside a transaction too, once their time is up', async () => {
    await named.query('ahe_test_in_tx', 'SELECT 1 AS one', [], undefined);
    clock += STATEMENT_LIFETIME_MS;
    const rows = await db.transaction(async (tx) => (await named.query('ahe_test_other', 'SELECT 2 AS two', [], tx)).rows);
    expect(rows).toEqual([{ two: 2 }]);
    expect(await preparedNames()).toEqual(['ahe_test_other']);
  });

  it('are all closed once they have lived STATEMENT_LIFETIME_MS, and prepared again when next used', async () => {
    await named.query('ahe_test_first', 'SELECT count(*)::int AS n FROM aged', [], undefined);
    await named.query('ahe_test_second', 'SELECT id FROM aged WHERE id = $1', [1], undefined);
    expect(await preparedNames()).toEqual(['ahe_test_first', 'ahe_test_second']);
    clock += STATEMENT_LIFETIME_MS - 1;
    await named.query('ahe_test_first', 'SELECT count(*)::int AS n FROM aged', [], undefined);
    expect(await preparedNames()).toEqual(['ahe_test_first', 'ahe_test_second']);
    clock += 1;
    await db.exec('INSERT INTO aged VALUES (1), (2)');
    const { rows } = await named.query<{ n: number }>('ahe_test_first', 'SELECT count(*)::int AS n FROM aged', [], undefined);
    expect(rows).toEqual([{ n: 2 }]);
    // The second, not used since, is gone; the first was prepared again.
    expect(await preparedNames()).toEqual(['ahe_test_first']);
  });
});
