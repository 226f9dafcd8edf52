import { IN_MEMORY } from '@ahe/database';
import type { EventStoreConfig } from '@ahe/event-store';

/**
 * One line for the start-up log: which backend, and where. A PostgreSQL URL is reduced to
 * host, port and database, since the full string usually holds a password.
 */
export function describeStore(store: EventStoreConfig): string {
  if (store.kind === 'embedded') {
    const thread = store.thread === 'main' ? 'on the main thread' : 'on a worker thread of its own';
    return store.dataDir === IN_MEMORY
      ? `embedded PGlite, in memory (nothing is kept after exit), ${thread}`
      : `embedded PGlite in ${store.dataDir}/pglite, ${thread}`;
  }
  return `PostgreSQL at ${postgresLocation(store.connectionString)} (pool of ${store.poolSize ?? 10})`;
}

function postgresLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return `${host}:${url.port || '5432'}/${database}`;
  } catch {
    return '(connection string not shown)';
  }
}
