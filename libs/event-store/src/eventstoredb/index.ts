import type { EventStore } from '../event-store.port';
import type { OpenEventStoreDbOptions } from './open-eventstoredb';

export type { EventStoreDbOptions } from './eventstoredb-event-store';
export type { OpenEventStoreDbOptions } from './open-eventstoredb';

/**
 * Connects to EventStoreDB (open-eventstoredb.ts). Its client and gRPC are loaded here, when a
 * process is configured for EventStoreDB, not at start: about 140 ms of module loading that
 * every other process (the API on PostgreSQL, each CLI command, each benchmark suite) paid.
 */
export async function openEventStoreDb(connectionString: string, options: OpenEventStoreDbOptions = {}): Promise<EventStore> {
  const adapter = await import('./open-eventstoredb.js');
  return adapter.openEventStoreDb(connectionString, options);
}
