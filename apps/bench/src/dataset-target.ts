import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { SqlClient } from '@ahe/database';
import { openTarget, type EmbeddedChoice, type StoreTarget } from './store-target';

// Where the benchmarks' shared data set (dataset.ts) is kept, and how it is locked and emptied.

export const DEFAULT_DATASET_ACCOUNTS = 100_000;

/** `bench_dataset` at the default size; another size gets its own schema so a quick run keeps the big one. */
export function datasetSchema(accounts: number): string {
  return accounts === DEFAULT_DATASET_ACCOUNTS ? 'bench_dataset' : `bench_dataset_${accounts}`;
}

/**
 * Where the set of this size is kept: its schema, or on the embedded store a folder of that name
 * in the system's temporary folder, kept from run to run as the schema is (its name is not one
 * of the leftovers run-lock.ts sweeps).
 */
export function datasetTarget(databaseUrl: string, accounts: number, embedded: EmbeddedChoice = false): StoreTarget {
  const schema = datasetSchema(accounts);
  return embedded
    ? { kind: 'embedded', dataDir: join(tmpdir(), `ahe-${schema.replace(/_/g, '-')}-embedded`), thread: embedded }
    : { kind: 'postgres', databaseUrl, schema };
}

/** The PostgreSQL schema the set's tables are in: its own, or PGlite's public one. */
export const tablesSchemaOf = (target: StoreTarget): string => (target.kind === 'postgres' ? target.schema : 'public');

/**
 * The set's advisory lock on the bench's database, held until the answered release: two
 * processes building (or dropping) one set at once would undo each other's work. Its connection
 * is held for the whole set-up: a connection the server ends must fail the run, not crash it.
 */
export async function takeDatasetLock(databaseUrl: string, target: StoreTarget, log: (line: string) => void): Promise<() => Promise<void>> {
  const lock = new Client({ connectionString: databaseUrl });
  lock.on('error', (error) => log(`bench data set lock connection lost: ${error.message}`));
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`ahe-bench-dataset:${target.kind === 'postgres' ? target.schema : target.dataDir}`]);
  } catch (error) {
    await lock.end().catch(() => undefined);
    throw error;
  }
  return () => lock.end();
}

/** The target with nothing in it, and a client of it: the schema dropped and made again (`sql` kept), or the folder removed (`sql` closed, a new client opened). */
export async function emptied(sql: SqlClient, target: StoreTarget): Promise<SqlClient> {
  if (target.kind === 'postgres') {
    await sql.exec(`DROP SCHEMA ${target.schema} CASCADE; CREATE SCHEMA ${target.schema}`);
    return sql;
  }
  await sql.close();
  rmSync(target.dataDir, { recursive: true, force: true });
  return openTarget(target, 8);
}
