import { EventStoreDBClient } from '@eventstore/db-client';
import type { EventEnvelope, EventStore } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

export interface OpenEventStoreDbOptions {
  readonly clock?: () => Date;
  readonly upcast?: (event: EventEnvelope) => EventEnvelope;
}

/**
 * Connects to EventStoreDB (`esdb://host:2113?tls=false`, or `esdb+discover://a,b,c:2113` for a
 * cluster) and checks that it answers, so a wrong connection string stops the process at start
 * rather than at the first command. The store owns the client and disposes it on close().
 */
export async function openEventStoreDb(connectionString: string, options: OpenEventStoreDbOptions = {}): Promise<EventStore> {
  const client = EventStoreDBClient.connectionString(connectionString);
  const store = new EventStoreDbEventStore(client, { ...options, ownsClient: true });
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new Error(`EventStoreDB at ${redact(connectionString)} does not answer: ${(error as Error).message}`, { cause: error });
  }
  return store;
}

/** Connection strings may carry a password (`esdb://admin:changeit@…`); keep it out of logs. */
export function redact(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
