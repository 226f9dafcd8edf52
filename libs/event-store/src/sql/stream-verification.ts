import type { SqlQueryable } from '@ahe/database';
import type { VerifyResult } from '../event-store.port';
import { ChainVerifier } from '../hash-chain';
import { READ_SQL } from './event-read.queries';
import { toEnvelope, type EventRow } from './event-rows';

const PAGE = 1000;

/** The bounds of PostgreSQL's bigint, as text: a walk from the lowest sees rows at negative revisions too. */
const LOWEST_REVISION = '-9223372036854775808';
const HIGHEST_REVISION = '9223372036854775807';

interface HeadRow {
  revision: string | number;
  last_hash: string;
}

/**
 * Walks a stream's hash chain up to the head read first, one statement a page and no
 * transaction around them, then checks that nothing unexplained lies past that head.
 *
 * No transaction, because the embedded database runs one transaction at a time on its single
 * connection: a walk inside one would hold every append, projection batch and read until the
 * last page had been hashed. The answer is still the one a snapshot taken at the first read
 * would give, on PostgreSQL as on PGlite. The engine only ever adds rows past a head, moving the
 * head in the same transaction, so the rows up to the head read first stay as they were while
 * the walk goes on. Rows past it are an append made since when the head now covers them;
 * otherwise the log goes on past its head, and they are walked too, so the answer names the
 * first break a whole-stream walk would.
 */
export async function verifyStoredStream(sql: SqlQueryable, streamId: string): Promise<VerifyResult> {
  const { rows: [headRow] } = await sql.query<HeadRow>(READ_SQL.streamHead, [streamId]);
  const head = headRow ? { revision: Number(headRow.revision), hash: headRow.last_hash } : undefined;
  const verifier = new ChainVerifier();
  const walk = (from: string, to: string) => walkChain(sql, verifier, streamId, from, to);

  if (!(await walk(LOWEST_REVISION, head ? String(head.revision) : HIGHEST_REVISION))) return verifier.finish(undefined);
  if (head && (await rowsPastHeadUnexplained(sql, streamId, head.revision))) {
    if (!(await walk(String(head.revision + 1), HIGHEST_REVISION))) return verifier.finish(undefined);
  }
  return verifier.finish(head);
}

/** Pushes the rows from `from` to `to` into the verifier; false once it has found a break. */
async function walkChain(sql: SqlQueryable, verifier: ChainVerifier, streamId: string, from: string, to: string): Promise<boolean> {
  for (let next = from; ; ) {
    const { rows } = await sql.query<EventRow>(READ_SQL.verifyPage, [streamId, next, to, PAGE]);
    for (const row of rows) if (!verifier.push(toEnvelope(row))) return false;
    if (rows.length < PAGE) return true;
    next = String(Number(rows[rows.length - 1]!.revision) + 1);
  }
}

/** Rows stored past `walkedTo` that no head covers: not an append made since the walk began. */
async function rowsPastHeadUnexplained(sql: SqlQueryable, streamId: string, walkedTo: number): Promise<boolean> {
  const { rows } = await sql.query<{ head: string | null; last: string | null }>(READ_SQL.headAndLastRevision, [streamId]);
  const { head, last } = rows[0]!;
  if (last === null || Number(last) <= walkedTo) return false;
  return head === null || Number(head) < Number(last);
}
