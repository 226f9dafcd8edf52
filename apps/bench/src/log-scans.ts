import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';

// The projections line's references (projection.bench.ts): the log read through SQL, and through the store.

/** What any reader of the log must at least do: keyset pages in the global order, rows decoded. */
export async function orderedScan(sql: SqlClient, batchSize: number): Promise<number> {
  let after = { commit: '0', prepare: '0' };
  let count = 0;
  for (;;) {
    const { rows } = await sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT * FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
       ORDER BY transaction_id, global_position LIMIT $3`,
      [after.commit, after.prepare, batchSize],
      'bench_ordered_scan',
    );
    if (rows.length === 0) return count;
    count += rows.length;
    const last = rows[rows.length - 1]!;
    after = { commit: String(last.transaction_id), prepare: String(last.global_position) };
  }
}

export async function storeScan(store: EventStore, batchSize: number): Promise<number> {
  let count = 0;
  let batch = await store.readAll({ limit: batchSize });
  while (batch.events.length > 0) {
    count += batch.events.length;
    batch = await store.readAll({ after: batch.checkpoint, limit: batchSize });
  }
  return count;
}
