import type { SqlQueryable } from '@ahe/database';
import { compareCheckpoints, SqlEventStore, START, type Checkpoint, type EventStore } from '@ahe/event-store';

export interface PendingEvents {
  /**
   * Events in the log past the checkpoint (those an open transaction still hides included).
   * Exact up to the probe's count cap; beyond it an estimate (see sqlProbe), or at least the cap.
   */
  readonly events: number;
  /** When the store recorded the oldest of them: the age of the lag. */
  readonly oldestRecordedAt: string | null;
}

/** How far the log goes, and how much of it lies past a checkpoint. */
export interface LogProbe {
  /**
   * Checkpoint and global position of the last event committed now; null when none. It may
   * still be hidden from readers of the log behind an older open transaction (ADR 0002): a
   * reader gets there once that one ends. `from`: a checkpoint at or before the head, where a
   * scan may start.
   */
  head(from?: Checkpoint): Promise<{ readonly checkpoint: Checkpoint; readonly position: number } | null>;
  pending(after: Checkpoint): Promise<PendingEvents>;
}

/** Beyond this many, a store without SQL access reports "at least" this many. */
const SCAN_CAP = 100_000;
const SCAN_PAGE = 1_000;
/** The SQL probe counts this many pending events exactly; past them it estimates from positions. */
export const SQL_COUNT_CAP = 10_000;

/**
 * On the SQL store the probe asks the events table (on the engine's database, which the
 * SqlEventStore shares) through the global-order index: the head is one index lookup, the
 * pending count one index range. On other stores it walks the log from the checkpoint.
 */
export function logProbe(store: EventStore, sql: SqlQueryable, { countCap = SQL_COUNT_CAP }: { countCap?: number } = {}): LogProbe {
  return store instanceof SqlEventStore ? sqlProbe(sql, countCap) : scanningProbe(store);
}

/**
 * The pending count walks at most `countCap` entries of the log-order index. It is sampled on
 * every heartbeat of every projection (the lag metric): an uncapped count(*) of a long backlog
 * (a first catch-up, a frozen generation) was a parallel sequential scan of the whole events
 * table each time, about 1.3 s of database CPU per call at 1M events. Past the cap, the count
 * is estimated as the distance from the checkpoint's global position to the newest one (the
 * identity leaves gaps only where an append failed, so it is close), and never below the cap.
 */
function sqlProbe(sql: SqlQueryable, countCap: number): LogProbe {
  return {
    async head() {
      const { rows } = await sql.query<{ transaction_id: string; global_position: string }>(
        // Qualified: unqualified, ORDER BY would sort the text output columns, and '999' > '1268'.
        `SELECT transaction_id::text, global_position::text FROM events ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1`,
      );
      const row = rows[0];
      return row ? { checkpoint: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) }, position: Number(row.global_position) } : null;
    },
    async pending(after) {
      const { rows } = await sql.query<{ events: string; newest: string | null; oldest: Date | null }>(
        `SELECT (SELECT count(*) FROM (SELECT FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
                                        ORDER BY transaction_id, global_position LIMIT $3) capped)::text AS events,
                (SELECT max(global_position) FROM events)::text AS newest,
                (SELECT recorded_at FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
                 ORDER BY transaction_id, global_position LIMIT 1) AS oldest`,
        [after.commit.toString(), after.prepare.toString(), countCap],
      );
      const counted = Number(rows[0]!.events);
      const events = counted < countCap ? counted : Math.max(countCap, Number(rows[0]!.newest ?? 0) - Number(after.prepare));
      return { events, oldestRecordedAt: rows[0]!.oldest?.toISOString() ?? null };
    },
  };
}

function scanningProbe(store: EventStore): LogProbe {
  return {
    async head(from) {
      let batch = await store.readAll({ after: from, limit: SCAN_PAGE });
      let last = batch.events[batch.events.length - 1];
      while (batch.events.length === SCAN_PAGE) {
        batch = await store.readAll({ after: batch.checkpoint, limit: SCAN_PAGE });
        last = batch.events[batch.events.length - 1] ?? last;
      }
      if (!last) return from && compareCheckpoints(from, START) > 0 ? { checkpoint: from, position: Number(from.prepare) } : null;
      return { checkpoint: batch.checkpoint, position: last.globalPosition };
    },
    async pending(after) {
      let batch = await store.readAll({ after, limit: SCAN_PAGE });
      const oldestRecordedAt = batch.events[0]?.recordedAt ?? null;
      let events = batch.events.length;
      while (batch.events.length === SCAN_PAGE && events < SCAN_CAP) {
        batch = await store.readAll({ after: batch.checkpoint, limit: SCAN_PAGE });
        events += batch.events.length;
      }
      return { events, oldestRecordedAt };
    },
  };
}
