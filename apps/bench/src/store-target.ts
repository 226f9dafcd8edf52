import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openDatabase, type PgliteThreading, type SqlClient } from '@ahe/database';

/** Where a line's store lives: a PostgreSQL schema of its own, or an embedded (PGlite) data folder of its own. */
export type StoreTarget =
  | { readonly kind: 'postgres'; readonly databaseUrl: string; readonly schema: string }
  | { readonly kind: 'embedded'; readonly dataDir: string; readonly thread: PgliteThreading };

/** `--embedded`: false for PostgreSQL, else the thread PGlite runs on (`--embedded-thread`). */
export type EmbeddedChoice = false | PgliteThreading;

/** A fresh target: the schema `name` on PostgreSQL, or a new folder under the system's temporary one. */
export function freshTarget(embedded: EmbeddedChoice, databaseUrl: string, name: string): StoreTarget {
  return embedded
    ? { kind: 'embedded', dataDir: mkdtempSync(join(tmpdir(), `ahe-${name.replace(/_/g, '-')}-`)), thread: embedded }
    : { kind: 'postgres', databaseUrl, schema: name };
}

/** How the table names a line's store. */
export function whereOf(target: StoreTarget): string {
  if (target.kind === 'postgres') return 'PostgreSQL';
  // PGlite on its worker thread, the engine's default, is plain "embedded (PGlite)".
  return target.thread === 'worker' ? 'embedded (PGlite)' : 'embedded (PGlite on the main thread)';
}

/** Where exactly, for a line's note: `schema bench_dataset`, or `embedded folder /tmp/…`. */
export function describeTarget(target: StoreTarget): string {
  return target.kind === 'postgres' ? `schema ${target.schema}` : `embedded folder ${target.dataDir}`;
}

export function openTarget(target: StoreTarget, poolSize: number): Promise<SqlClient> {
  return openDatabase(target.kind === 'postgres'
    ? { kind: 'postgres', connectionString: target.databaseUrl, schema: target.schema, poolSize }
    : { kind: 'embedded', dataDir: target.dataDir, thread: target.thread });
}

/** The environment that points the engine's configuration (DATABASE_URL / DATA_DIR) at the target. */
export function targetEnv(target: StoreTarget): Record<string, string> {
  return target.kind === 'postgres'
    ? { DATABASE_URL: target.databaseUrl, DATABASE_SCHEMA: target.schema }
    : { DATA_DIR: target.dataDir, EMBEDDED_DB_THREAD: target.thread };
}

/** Removes what the target holds: its schema, or its folder. */
export async function dropTarget(target: StoreTarget): Promise<void> {
  if (target.kind === 'embedded') {
    rmSync(target.dataDir, { recursive: true, force: true });
    return;
  }
  const client = new Client({ connectionString: target.databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${target.schema.replace(/"/g, '""')}" CASCADE`).finally(() => client.end());
}

/**
 * Runs every clean-up step in order, each even if one before it failed (a store must still be
 * closed and dropped after its load client failed to close). A failure is reported on stderr
 * and not thrown: from a `finally` it would replace the error that ended the line.
 */
export async function cleanUp(what: string, ...steps: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      process.stderr.write(`bench: cleaning up ${what} failed: ${(error as Error).stack ?? String(error)}\n`);
    }
  }
}
