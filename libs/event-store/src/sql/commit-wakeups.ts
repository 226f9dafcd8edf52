import type { SqlClient } from '@ahe/database';
import { NOTIFY_CHANNEL } from './event-store.schema';

const local = new WeakMap<SqlClient, Set<() => void>>();

/** A client's wake-ups for other processes: when the last went out, and the one waiting to, if any. */
interface Announcer {
  lastSent: number;
  pending?: { readonly id: number; cancel(): void };
  nextId: number;
}
const announcers = new WeakMap<SqlClient, Announcer>();

function announcerOf(sql: SqlClient): Announcer {
  let announcer = announcers.get(sql);
  if (!announcer) announcers.set(sql, (announcer = { lastSent: 0, nextId: 0 }));
  return announcer;
}

/**
 * Other processes are woken at most once per this many milliseconds by a NOTIFY of its own: a
 * steady writer would otherwise send one (a statement and a transaction) per append.
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
  if (sql.kind !== 'postgres' || (result !== undefined && announcedInlineResults.has(result))) return;
  const announcer = announcerOf(sql);
  if (announcer.pending) return;
  const send = () => {
    announcer.pending = undefined;
    announcer.lastSent = Date.now();
    // A transaction of its own: committed without waiting for the WAL flush (a lost wake-up
    // only delays a reader), so it costs no disk sync beside the appends it announces.
    sql.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', ''), set_config('synchronous_commit', 'off', true)`).catch(() => undefined);
  };
  const wait = announcer.lastSent + NOTIFY_GAP_MS - Date.now();
  if (wait > 0) {
    const timer = setTimeout(send, wait);
    announcer.pending = { id: ++announcer.nextId, cancel: () => clearTimeout(timer) };
  } else {
    const immediate = setImmediate(send);
    announcer.pending = { id: ++announcer.nextId, cancel: () => clearImmediate(immediate) };
  }
}

/** Appends whose own statement carried the NOTIFY (claimInlineNotify): announced at their commit. */
const announcedInlineResults = new WeakSet<object>();

/** An append statement's claim to carry the NOTIFY; `covers` is the wake-up pending when it was made. */
export interface InlineNotify {
  readonly covers?: number;
}

/**
 * Whether the next append statement on `sql` should carry the NOTIFY itself, saving the
 * wake-up a statement and a transaction of its own:
 * - yes when none went out within the last NOTIFY_GAP_MS and none is pending (the claim counts
 *   as sent);
 * - yes when one is pending: the statement's NOTIFY, delivered at its commit, also announces
 *   the commits before it, so once it has committed the pending one is not sent
 *   (markAnnouncedInline). Until then the pending one stays due at its time, so a slow append
 *   delays no wake-up. A writer appending batches back to back (one every 2-3 ms) otherwise
 *   sent a NOTIFY of its own for most of them, each a round trip and a transaction beside its
 *   appends: 445 beside 597 appends of 100 events (docs/benchmarks-journal.md, store append).
 * A statement that then writes nothing (its head moved) sends none, and the commit after it is
 * announced the usual way within NOTIFY_GAP_MS.
 */
export function claimInlineNotify(sql: SqlClient): InlineNotify | undefined {
  if (sql.kind !== 'postgres') return undefined;
  const announcer = announcerOf(sql);
  if (announcer.pending) return { covers: announcer.pending.id };
  const now = Date.now();
  if (now - announcer.lastSent < NOTIFY_GAP_MS) return undefined;
  announcer.lastSent = now;
  return {};
}

/**
 * The append that produced `result` carried the NOTIFY in its own statement, claimed with
 * `claim`: its commit is announced, and so is the wake-up that was pending at the claim.
 */
export function markAnnouncedInline(sql: SqlClient, claim: InlineNotify, result: object): void {
  announcedInlineResults.add(result);
  if (claim.covers === undefined) return;
  const announcer = announcerOf(sql);
  announcer.lastSent = Date.now();
  if (announcer.pending?.id === claim.covers) {
    announcer.pending.cancel();
    announcer.pending = undefined;
  }
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
