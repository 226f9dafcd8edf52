import type { SqlClient } from '@ahe/database';
import { NOTIFY_CHANNEL } from './event-store.schema';

const local = new WeakMap<SqlClient, Set<() => void>>();
const pending = new WeakSet<SqlClient>();
const lastSent = new WeakMap<SqlClient, number>();

/**
 * Other processes are woken at most once per this many milliseconds: a steady writer would
 * otherwise send one NOTIFY (a statement and a transaction of its own) per append.
 */
const NOTIFY_GAP_MS = 10;

/**
 * Wakes subscribers after a commit: those in this process at once, those in other processes
 * (PostgreSQL only) by one NOTIFY per burst of commits, at most one per NOTIFY_GAP_MS, sent
 * outside the append's transaction so it costs the writer nothing. The first commit after a
 * quiet spell is announced at once. A lost wake-up only delays a reader until its next poll.
 */
export function announceCommit(sql: SqlClient, result?: object): void {
  for (const wake of local.get(sql) ?? []) wake();
  if (sql.kind !== 'postgres' || pending.has(sql) || (result !== undefined && announcedInline.has(result))) return;
  pending.add(sql);
  const send = () => {
    pending.delete(sql);
    lastSent.set(sql, Date.now());
    // A transaction of its own: committed without waiting for the WAL flush (a lost wake-up
    // only delays a reader), so it costs no disk sync beside the appends it announces.
    sql.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', ''), set_config('synchronous_commit', 'off', true)`).catch(() => undefined);
  };
  const wait = (lastSent.get(sql) ?? 0) + NOTIFY_GAP_MS - Date.now();
  if (wait > 0) setTimeout(send, wait);
  else setImmediate(send);
}

/** Appends whose own statement carried the NOTIFY (claimInlineNotify): announced at their commit. */
const announcedInline = new WeakSet<object>();

/**
 * Whether the next append statement on `sql` should carry the NOTIFY itself, saving the
 * wake-up a statement and a transaction of its own: yes when none went out within the last
 * NOTIFY_GAP_MS and none is pending, and a claim counts as sent. A statement that then writes
 * nothing (its head moved) sends none, and the commit after it is announced the usual way
 * within NOTIFY_GAP_MS.
 */
export function claimInlineNotify(sql: SqlClient): boolean {
  if (sql.kind !== 'postgres' || pending.has(sql)) return false;
  const now = Date.now();
  if (now - (lastSent.get(sql) ?? 0) < NOTIFY_GAP_MS) return false;
  lastSent.set(sql, now);
  return true;
}

/** The append that produced `result` carried the NOTIFY in its own statement. */
export function markAnnouncedInline(result: object): void {
  announcedInline.add(result);
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
