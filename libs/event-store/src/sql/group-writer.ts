import { isSqlError, type SqlClient } from '@ahe/database';
import type { SealedRow } from '../sealed-batch';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { batchColumns, quotedElement } from './batch-columns';
import { GROUP_SQL, SQL } from './event-store.queries';
import { appendOneParams, appendResultOf, headAfter, type Written } from './append-result';
import type { StreamHead, StreamHeadCache } from './stream-heads';

/** Classes of SQLSTATE after which the statement surely did not commit and one row may be the cause. */
const RESENT_ONE_BY_ONE = new Set(['22', '23', '40', '54']);

/** What SqlAppender.append gets back: the written result, or undefined for the locked path. */
export type Outcome = AppendResult | undefined;

export interface Waiting {
  readonly streamId: string;
  readonly event: NewEvent;
  readonly expected: ExpectedRevision;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: unknown) => void;
}

export interface Sealed extends Waiting {
  readonly head: StreamHead;
  readonly row: SealedRow;
}

/**
 * Sends GroupCommit's sealed appends and settles each by its row: written (its head cached
 * after it) or not (its head forgotten, its caller sent to the locked path).
 */
export class GroupWriter {
  constructor(
    private readonly sql: SqlClient,
    private readonly heads: StreamHeadCache,
  ) {}

  /** One append goes out alone as SQL.appendOneIfHead, several as one GROUP_SQL statement. */
  async send(group: readonly Sealed[]): Promise<void> {
    if (group.length === 1) await this.sendAlone(group[0]!);
    else await this.sendGroup(group);
  }

  private async sendAlone(sealed: Sealed): Promise<void> {
    try {
      const { rows: [written] } = await this.sql.query<Written>(SQL.appendOneIfHead, appendOneParams(sealed.streamId, sealed.head, sealed.row), 'ahe_append_one_if_head');
      this.settle(sealed, written);
    } catch (error) {
      sealed.reject(error);
    }
  }

  private async sendGroup(group: readonly Sealed[]): Promise<void> {
    let rows: (Written & { stream_id: string })[];
    try {
      ({ rows } = await this.sql.query<Written & { stream_id: string }>(GROUP_SQL.appendEachIfHead, groupParams(group), 'ahe_append_each_if_head'));
    } catch (error) {
      // The whole statement was refused, perhaps for one row's sake: each append on its own,
      // so that each caller gets its own answer. Other failures (a lost connection: the
      // group may have committed) go to every caller, as a failed statement of its own would.
      if (!isSqlError(error) || !RESENT_ONE_BY_ONE.has(error.code!.slice(0, 2))) {
        for (const sealed of group) sealed.reject(error);
        return;
      }
      await Promise.all(group.map((sealed) => this.sendAlone(sealed)));
      return;
    }
    const byStream = new Map(rows.map((row) => [row.stream_id, row]));
    for (const sealed of group) this.settle(sealed, byStream.get(sealed.streamId));
  }

  private settle(sealed: Sealed, written: Written | undefined): void {
    if (!written?.position) {
      this.heads.delete(sealed.streamId);
      sealed.resolve(undefined);
      return;
    }
    const { row } = sealed;
    this.heads.set(sealed.streamId, headAfter(row));
    sealed.resolve(appendResultOf(sealed.streamId, [row], written));
  }
}

/** The parameters of GROUP_SQL.appendEachIfHead: one element per stream, in the group's order. */
function groupParams(group: readonly Sealed[]): unknown[] {
  const columns = batchColumns(group.map((sealed) => sealed.row), true);
  let streams = '{';
  let previousHashes = '{';
  let hashes = '{';
  for (let index = 0; index < group.length; index++) {
    const { streamId, head, row } = group[index]!;
    const comma = index === 0 ? '' : ',';
    streams += comma + quotedElement(streamId);
    previousHashes += `${comma}"${head.hash}"`;
    hashes += `${comma}"${row.hash}"`;
  }
  return [
    `${streams}}`, columns.revisions, `${previousHashes}}`, `${hashes}}`, columns.eventIds, columns.types,
    columns.schemaVersions, columns.occurredAts, columns.recordedAts, columns.data, columns.metadata,
  ];
}
