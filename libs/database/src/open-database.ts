import { PgPoolClient } from './pg-pool.client';
import { PgliteClient } from './pglite.client';
import type { PgliteThreading } from './pglite-handle';
import type { SqlClient } from './sql-client';

export type DatabaseConfig =
  | {
      readonly kind: 'embedded';
      readonly dataDir: string;
      /** Where PGlite runs: on a worker thread of its own (the default), or on the thread that opens it. */
      readonly thread?: PgliteThreading;
      /** Told when opening had to work around a fault; default console.warn. */
      readonly onWarning?: (message: string) => void;
    }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      readonly poolSize?: number;
      readonly schema?: string;
      readonly connectTimeoutMs?: number;
      readonly onError?: (error: Error) => void;
    };

export async function openDatabase(config: DatabaseConfig): Promise<SqlClient> {
  if (config.kind === 'embedded') return PgliteClient.open(config.dataDir, config.thread, undefined, config.onWarning);
  const client = new PgPoolClient(config);
  if (config.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema.replace(/"/g, '""')}"`);
  return client;
}
