import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import type { EventEnvelope } from '@ahe/event-store';
import { groupByAccount, tuplesSql } from './account-streams';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const COLUMNS = { id: 'text', interval: 'text', day: 'date', count: 'integer', sum: 'numeric', at: 'timestamptz', position: 'bigint', doc: 'jsonb' } as const;
const TYPES = 'id text, "interval" text, day date, count integer, sum numeric, at timestamptz, position bigint, doc jsonb';

/** The awkward values: quotes and non-ASCII text, a float's shortest form, nulls, nested JSON. */
const ROWS = [
  { id: 'quote "and" back\\slash', interval: 'week', day: '2024-05-06', count: 3, sum: 66.66666666666667, at: '2024-05-06T10:00:00.123Z', position: 9007199254740991, doc: { a: [1, 2.5], b: null } },
  { id: 'émoji 🎉', interval: null, day: null, count: null, sum: 1e-7, at: null, position: null, doc: null },
];

function describeTuples(label: string, open: () => Promise<SqlClient>): void {
  describe(`tuplesSql on ${label}`, () => {
    let sql: SqlClient;
    beforeAll(async () => (sql = await open()));
    afterAll(() => sql.close());

    it('reads back, column for column, what json_to_recordset reads from the same rows as objects', async () => {
      const asText = (query: string) => `SELECT row_to_json(x)::text AS row FROM (${query}) AS x`;
      const tuples = JSON.stringify(ROWS.map((row) => Object.values(row)));
      const { rows: fromTuples } = await sql.query<{ row: string }>(asText(tuplesSql(COLUMNS, 1)), [tuples]);
      const { rows: fromObjects } = await sql.query<{ row: string }>(asText(`SELECT * FROM json_to_recordset($1::json) AS r(${TYPES})`), [JSON.stringify(ROWS)]);
      expect(fromTuples).toEqual(fromObjects);
      expect(fromTuples).toHaveLength(2);
    });

    it('reads nothing from an empty array', async () => {
      expect((await sql.query(tuplesSql(COLUMNS, 1), ['[]'])).rows).toEqual([]);
    });
  });
}

describeTuples('PostgreSQL', () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, poolSize: 1 }));
describeTuples('the embedded database', () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));

describe('groupByAccount', () => {
  const envelope = (streamId: string, revision: number) => ({ streamId, revision }) as EventEnvelope;

  it('groups by account in order of first appearance, each account in log order, and leaves other streams out', () => {
    const log = [envelope('account-b', 0), envelope('$projections', 0), envelope('account-a', 0), envelope('account-b', 1), envelope('account-', 0), envelope('account-a', 1)];
    const grouped = groupByAccount(log);
    expect([...grouped.keys()]).toEqual(['b', 'a']);
    expect(grouped.get('b')!.map((event) => event.revision)).toEqual([0, 1]);
    expect(grouped.get('a')!.map((event) => event.revision)).toEqual([0, 1]);
  });
});
