import type { SqlClient } from '@ahe/database';
import type { ContractHarness } from '../../contract/index.contract';
import { SqlEventStore } from './sql-event-store';

/** The contract harness for the SQL store, over whichever SqlClient `sql()` returns. */
export function sqlHarness(sql: () => SqlClient): ContractHarness {
  return {
    concurrentCommits: false,
    open: (options) => SqlEventStore.open(sql(), options ?? {}),
    async tamper(streamId, revision) {
      await sql().query(`UPDATE events SET data = jsonb_set(data, '{tampered}', 'true') WHERE stream_id = $1 AND revision = $2`, [
        streamId,
        revision,
      ]);
    },
    async remove(streamId, revision) {
      await sql().query('DELETE FROM events WHERE stream_id = $1 AND revision = $2', [streamId, revision]);
    },
  };
}
