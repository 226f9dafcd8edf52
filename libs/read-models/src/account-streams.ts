import { accountIdOfStream } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';

/**
 * A batch's events by account, each account's in log order; streams that are not accounts are
 * left out. Grouped by stream first: one account id per stream rather than one per event.
 */
export function groupByAccount(events: readonly EventEnvelope[]): Map<string, EventEnvelope[]> {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const envelope of events) {
    const envelopes = byStream.get(envelope.streamId);
    if (envelopes === undefined) byStream.set(envelope.streamId, [envelope]);
    else envelopes.push(envelope);
  }
  const byAccount = new Map<string, EventEnvelope[]>();
  for (const [streamId, envelopes] of byStream) {
    const accountId = accountIdOfStream(streamId);
    if (accountId !== null) byAccount.set(accountId, envelopes);
  }
  return byAccount;
}

/**
 * The prepared-statement name of a batch statement on `table` (a generation's physical table):
 * PostgreSQL then parses and plans it once per connection rather than once per batch, and its
 * generic plan looks the batch's accounts up by index however large the table has grown.
 */
export function batchStatementName(purpose: string, table: string): string {
  return `ahe_${purpose}_${table}`;
}

/** Column → SQL type, in the order each tuple holds the values; `jsonb` columns travel as JSON values. */
export type TupleColumns = Readonly<Record<string, string>>;

/**
 * The rows of one parameter, `$n`, sent as a JSON array of tuples (`[["a", 1], …]`) and read
 * back as typed columns named after `columns`. A third of the bytes of an array of objects
 * (no key repeated per row), and about half the server's CPU of json_to_recordset on it;
 * one round trip whatever the batch size, on PostgreSQL and PGlite alike.
 */
export function tuplesSql(columns: TupleColumns, param: number): string {
  const values = Object.entries(columns).map(([column, type], index) => (type === 'jsonb' ? `r->${index}` : `(r->>${index})::${type}`) + ` AS ${quoted(column)}`);
  return `SELECT ${values.join(', ')} FROM jsonb_array_elements($${param}::jsonb) AS r`;
}

/** `interval` and the like are keywords: column names go quoted. */
const quoted = (column: string): string => `"${column}"`;
