import { resolve } from 'node:path';
import { embeddedStoreExists, IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, openEventStoreDb, type EventStore } from '@ahe/event-store';
import type { AppConfig } from '@ahe/platform';
import { loadConfig } from '@ahe/platform/config';
import { readingCurrentVersions } from '@ahe/platform/current-version-reads';

export interface CliStore {
  readonly store: EventStore;
  /** The server's database: read models and bookkeeping (and the events, unless in EventStoreDB). */
  readonly sql: SqlClient;
  /** Where the events go, for messages: the data folder, the database host or EventStoreDB. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The store the server would use, from the same environment (EVENTSTORE_CONNECTION_STRING,
 * else DATABASE_URL, else DATA_DIR). The embedded data folder is locked by one process at a
 * time: stop the server first. `existing`: for commands that read what is there (verify,
 * replay, rebuild), a DATA_DIR without a store is an error, not a new empty store that would
 * verify as intact.
 */
export async function openCliStore(config: AppConfig = loadConfig(process.env), { existing = false } = {}): Promise<CliStore> {
  if (config.store.kind === 'embedded') assertReachableDataDir(config.store.dataDir);
  if (existing && config.store.kind === 'embedded') assertEmbeddedStoreIn(config.store.dataDir);
  const sql = await openDatabase(config.store);
  try {
    const store = config.eventStoreDb ? await openEventStoreDb(config.eventStoreDb) : await eventStoreOn(sql, { onPageReadAsRows: warnPageReadAsRowsOnce() });
    return {
      // Read as the server's projections read it: rebuild and replay fold old schema versions upcast.
      store: readingCurrentVersions(store),
      sql,
      description: describeStore(config),
      close: async () => {
        await store.close();
        await sql.close();
      },
    };
  } catch (error) {
    await sql.close();
    throw error;
  }
}

/**
 * An in-memory store lives and dies with its process: the CLI's own would be a new, empty one,
 * verified as intact or filled by an import, then thrown away at exit, and a server's is out of
 * its reach.
 */
function assertReachableDataDir(dataDir: string): void {
  if (dataDir === IN_MEMORY) {
    throw new Error(`DATA_DIR=${IN_MEMORY} is a store in one process's memory, which no ahe command can reach or keep: ` +
      "point DATA_DIR at the server's data folder, or DATABASE_URL at its database");
  }
}

function assertEmbeddedStoreIn(dataDir: string): void {
  if (!embeddedStoreExists(dataDir)) {
    throw new Error(`no embedded store in ${resolve(dataDir)} (DATA_DIR): point DATA_DIR at the server's data folder, or DATABASE_URL at its database`);
  }
}

/** The first page of the log read as rows (SqlEventStoreOptions), on stderr; later ones would only repeat it beside a progress bar. */
function warnPageReadAsRowsOnce(): (error: unknown) => void {
  let told = false;
  return (error) => {
    if (told) return;
    told = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\nWarning: reading a page of the log as one document failed, so it was read as rows (later pages are not reported): ${reason}\n`);
  };
}

function describeStore(config: AppConfig): string {
  if (config.eventStoreDb) return 'EventStoreDB';
  return config.store.kind === 'embedded' ? `embedded store in ${config.store.dataDir}` : `PostgreSQL at ${new URL(config.store.connectionString).host}`;
}
