import type { SqlQueryable } from '@ahe/database';

/** An event a projection could not apply, set aside with its error while the rest went on. */
export interface ParkedEventView {
  readonly eventId: string;
  readonly globalPosition: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
  readonly parkedAt: string;
}

const LATEST = 20;

/** How many events a generation has parked, and the latest of them. */
export async function readParkedEvents(sql: SqlQueryable, name: string, generation: number): Promise<{ count: number; events: ParkedEventView[] }> {
  const [{ rows: counted }, { rows }] = await Promise.all([
    sql.query<{ count: string }>('SELECT count(*)::text AS count FROM projection_parked_events WHERE name = $1 AND generation = $2', [name, generation]),
    sql.query<{ event_id: string; global_position: string; stream_id: string; revision: string; type: string; error: string; parked_at: Date }>(
      `SELECT event_id, global_position::text, stream_id, revision::text, type, error, parked_at FROM projection_parked_events
       WHERE name = $1 AND generation = $2 ORDER BY parked_at DESC, projection_parked_events.global_position DESC LIMIT ${LATEST}`,
      [name, generation],
    ),
  ]);
  return {
    count: Number(counted[0]!.count),
    events: rows.map((row) => ({
      eventId: row.event_id,
      globalPosition: Number(row.global_position),
      streamId: row.stream_id,
      revision: Number(row.revision),
      type: row.type,
      error: row.error,
      parkedAt: row.parked_at.toISOString(),
    })),
  };
}
