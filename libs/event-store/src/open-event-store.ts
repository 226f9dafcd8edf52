import { openDatabase, type DatabaseConfig, type SqlClient } from '@ahe/database';
import type { EventStore } from './event-store.port';
import { SqlEventStore, type SqlEventStoreOptions } from './sql/sql-event-store';

export type EventStoreConfig = DatabaseConfig;

/** Opens the store on its own database connection, closed with the store. */
export async function openEventStore(config: EventStoreConfig, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  const sql = await openDatabase(config);
  try {
    return await SqlEventStore.open(sql, { ...options, ownsClient: true });
  } catch (error) {
    await sql.close();
    throw error;
  }
}

/** Opens the store on a database the caller shares with read models (one PGlite per process). */
export function eventStoreOn(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  return SqlEventStore.open(sql, options);
}
