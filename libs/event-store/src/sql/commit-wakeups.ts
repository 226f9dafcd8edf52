import type { SqlClient } from '@ahe/database';
import { NOTIFY_CHANNEL } from './event-store.schema';

const local = new WeakMap<SqlClient, Set<() => void>>();
const pending = new WeakSet<SqlClient>();

/**
 * Wakes subscribers after a commit: those in this process at once, those in other processes
 * (PostgreSQL only) by one NOTIFY per burst of commits, sent outside the append's transaction
 * so it costs the writer nothing. A lost wake-up only delays a reader until its next poll.
 */
export function announceCommit(sql: SqlClient): void {
  for (const wake of local.get(sql) ?? []) wake();
  if (sql.kind !== 'postgres' || pending.has(sql)) return;
  pending.add(sql);
  setImmediate(() => {
    pending.delete(sql);
    sql.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
  });
}

export async function onCommit(sql: SqlClient, wake: () => void): Promise<() => Promise<void>> {
  let wakers = local.get(sql);
  if (!wakers) local.set(sql, (wakers = new Set()));
  wakers.add(wake);
  const unlisten = sql.kind === 'postgres' ? await sql.listen(NOTIFY_CHANNEL, wake) : async () => undefined;
  return async () => {
    wakers.delete(wake);
    await unlisten();
  };
}
