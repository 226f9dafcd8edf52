import type { SqlQueryable } from '@ahe/database';

const PAGE = 1000;

/**
 * The streams of the SQL event store, for `ahe verify`: every stream head, in id order and by
 * keyset pages so that a store of millions of accounts is never listed in memory at once, and
 * first the streams whose head row is gone while their events remain (a tampering that
 * listing the heads alone would hide). Read straight from the store's tables: the EventStore
 * port has no listing, and EventStoreDB keeps its own.
 */
export class SqlStreamIds {
  private constructor(
    private readonly sql: SqlQueryable,
    private readonly headless: readonly string[],
    readonly total: number,
  ) {}

  static async of(sql: SqlQueryable): Promise<SqlStreamIds> {
    const { rows: headless } = await sql.query<{ stream_id: string }>(`
      SELECT DISTINCT stream_id FROM events e
      WHERE NOT EXISTS (SELECT 1 FROM event_streams s WHERE s.stream_id = e.stream_id)
      ORDER BY stream_id`);
    const { rows: [heads] } = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM event_streams');
    return new SqlStreamIds(sql, headless.map((row) => row.stream_id), headless.length + heads!.count);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    yield* this.headless;
    for (let after = ''; ; ) {
      const { rows } = await this.sql.query<{ stream_id: string }>(
        'SELECT stream_id FROM event_streams WHERE stream_id > $1 ORDER BY stream_id LIMIT $2', [after, PAGE],
      );
      for (const row of rows) yield row.stream_id;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.stream_id;
    }
  }
}
