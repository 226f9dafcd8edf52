import type { SqlClient } from '@ahe/database';
import type { ContractHarness, OpenOptions } from '../../contract/index.contract';
import { SqlEventStore } from './sql-event-store';

export interface SqlHarnessOptions {
  /** Opens a separate client on the same database and schema (another process's view); enables `openElsewhere`. */
  readonly elsewhere?: () => Promise<SqlClient>;
}

/** The contract harness for the SQL store, plus `dispose()` for the spec's afterAll. */
export type SqlHarness = ContractHarness & { dispose(): Promise<void> };

/** The contract harness for the SQL store, over whichever SqlClient `sql()` returns. */
export function sqlHarness(sql: () => SqlClient, options: SqlHarnessOptions = {}): SqlHarness {
  const separateClients = new Set<SqlClient>();
  const storeOptions = (open: OpenOptions = {}) => ({ clock: open.clock, beforeCommit: open.beforeCommit, upcast: open.upcast });
  const elsewhere = options.elsewhere;
  return {
    concurrentCommits: false,
    open: (open) => SqlEventStore.open(sql(), storeOptions(open)),
    ...(elsewhere && {
      async openElsewhere(open?: OpenOptions) {
        const client = await elsewhere();
        separateClients.add(client);
        try {
          // The store owns its client: closing the store closes the pool.
          return await SqlEventStore.open(client, { ...storeOptions(open), ownsClient: true });
        } catch (error) {
          await client.close();
          throw error;
        }
      },
    }),
    async tamper(streamId, revision) {
      await sql().query(`UPDATE events SET data = jsonb_set(data, '{tampered}', 'true') WHERE stream_id = $1 AND revision = $2`, [
        streamId,
        revision,
      ]);
    },
    async remove(streamId, revision) {
      await sql().query('DELETE FROM events WHERE stream_id = $1 AND revision = $2', [streamId, revision]);
    },
    async rewindHead(streamId, revision) {
      const { rows } = await sql().query('UPDATE event_streams SET revision = $2 WHERE stream_id = $1 RETURNING stream_id', [streamId, revision]);
      if (rows.length !== 1) throw new Error(`rewindHead: no head row for ${streamId}`);
    },
    async removeHead(streamId) {
      const { rows } = await sql().query('DELETE FROM event_streams WHERE stream_id = $1 RETURNING stream_id', [streamId]);
      if (rows.length !== 1) throw new Error(`removeHead: no head row for ${streamId}`);
    },
    /** Closes every separate client still open (closing one twice is harmless). */
    async dispose() {
      await Promise.all([...separateClients].map((client) => client.close().catch(() => undefined)));
      separateClients.clear();
    },
  };
}
