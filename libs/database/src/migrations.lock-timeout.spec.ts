import { randomUUID } from 'node:crypto';
import { IN_MEMORY, migrate, MigrationLockTimeoutError, PgliteClient, PgPoolClient, type MigrationSet } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A table released with one migration, and the later one that constrains it. */
const released: MigrationSet = { table: 'notes_migrations', lockKey: 7_204_311_900, migrations: ['CREATE TABLE notes (n integer NOT NULL)'] };
const upgraded: MigrationSet = {
  ...released,
  migrations: [...released.migrations, 'ALTER TABLE notes ADD CONSTRAINT notes_n_not_negative CHECK (n >= 0) NOT VALID'],
  lockTimeoutMs: 300,
  lockTries: 2,
};

describe('migrate, a migration that must lock a table in use (PostgreSQL)', () => {
  const schema = `migrate_lock_${randomUUID().slice(0, 8)}`;
  const setup = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 1 });
  const sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 });

  beforeAll(async () => {
    await setup.exec(`CREATE SCHEMA ${schema}`);
    await migrate(sql, released);
  });
  afterAll(async () => {
    await sql.close();
    await setup.exec(`DROP SCHEMA ${schema} CASCADE`).finally(() => setup.close());
  });

  /** A transaction that read the table and stays open (an import, a BI session left idle) until `release`. */
  const holdTable = async () => {
    let release!: () => void;
    let reading!: () => void;
    const holding = new Promise<void>((resolve) => (reading = resolve));
    const done = sql.transaction(async (tx) => {
      await tx.query('SELECT count(*) FROM notes');
      reading();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    return { release: () => (release(), done) };
  };
  const versions = async () => (await sql.query<{ version: number }>('SELECT version FROM notes_migrations ORDER BY version')).rows.map((row) => row.version);

  it('gives up after its tries with an error naming the wait, applies nothing, and leaves the table writable between tries', async () => {
    const reader = await holdTable();
    try {
      const refused = migrate(sql, upgraded);
      // Between the tries nothing holds the table back: the pause lets the queue behind the ALTER drain.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await sql.query('INSERT INTO notes (n) VALUES (-1)');
      await expect(refused).rejects.toThrow(MigrationLockTimeoutError);
      await expect(refused).rejects.toThrow(/notes_migrations version 2 waited 2 × 300 ms for a lock on a table another transaction is using/);
      expect(await versions()).toEqual([1]);
    } finally {
      await reader.release();
    }
  }, 20_000);

  it('applies the migration at a later try once the table is free', async () => {
    const reader = await holdTable();
    const applied = migrate(sql, { ...upgraded, lockTries: 3 });
    // Freed during the pause after the first try.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await reader.release();
    await applied;
    expect(await versions()).toEqual([1, 2]);
    await expect(sql.query('INSERT INTO notes (n) VALUES (-2)')).rejects.toThrow(/notes_n_not_negative/);
  }, 20_000);
});

describe('migrate on the embedded database', () => {
  it('runs with the lock timeout set: one connection, nothing to wait for', async () => {
    const sql = await PgliteClient.open(IN_MEMORY);
    try {
      await migrate(sql, released);
      await migrate(sql, upgraded);
      await expect(sql.query('INSERT INTO notes (n) VALUES (-1)')).rejects.toThrow(/notes_n_not_negative/);
    } finally {
      await sql.close();
    }
  });
});
