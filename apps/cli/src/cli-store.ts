import { openDatabase } from '@ahe/database';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { loadConfig } from '@ahe/platform';

export interface CliStore {
  readonly store: EventStore;
  /** Where the events go, for messages: the data folder or the database host. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The store the server would use, from the same environment (DATABASE_URL, else DATA_DIR).
 * The embedded data folder is locked by one process at a time: stop the server first.
 */
export async function openCliStore(env: NodeJS.ProcessEnv = process.env): Promise<CliStore> {
  const config = loadConfig(env);
  const sql = await openDatabase(config.store);
  try {
    const store = await eventStoreOn(sql);
    const description =
      config.store.kind === 'embedded' ? `embedded store in ${config.store.dataDir}` : `PostgreSQL at ${new URL(config.store.connectionString).host}`;
    return {
      store,
      description,
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
