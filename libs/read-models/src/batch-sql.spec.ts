import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import fc from 'fast-check';
import { arrayLiteral, columnLiteral, perTable, perTablePair, quotedElement, rowsWithDocumentsParams, rowsWithDocumentsSql, tuplesSql, unnestSql } from './batch-sql';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Awkward text: quotes, backslashes, array and JSON punctuation, the word NULL, nothing at all, non-ASCII. */
const TEXTS = ['quote "and" back\\slash', "it's", 'a,b {c} [d]', 'NULL', '', 'émoji 🎉 中文', '\\"', 'tab\there\nline'];

const asText = (query: string) => `SELECT row_to_json(x)::text AS row FROM (${query}) AS x`;

function describeBatchSql(label: string, open: () => Promise<SqlClient>): void {
  describe(`batch encodings on ${label}`, () => {
    let sql: SqlClient;
    beforeAll(async () => (sql = await open()));
    afterAll(() => sql.close());

    /** The rows as PostgreSQL reads them from an array of objects: what every encoding must give. */
    const fromObjects = async (rows: readonly object[], types: string) =>
      (await sql.query<{ row: string }>(asText(`SELECT * FROM json_to_recordset($1::json) AS r(${types})`), [JSON.stringify(rows)])).rows;

    describe('tuplesSql', () => {
      const columns = { id: 'text', interval: 'text', 'we"ird': 'text', day: 'date', count: 'integer', sum: 'numeric', at: 'timestamptz', position: 'bigint', doc: 'jsonb' } as const;
      const types = 'id text, "interval" text, "we""ird" text, day date, count integer, sum numeric, at timestamptz, position bigint, doc jsonb';
      const rows = [
        ...TEXTS.map((text, index) => ({ id: text, interval: 'week', 'we"ird': text, day: '2024-05-06', count: index, sum: 66.66666666666667, at: '2024-05-06T10:00:00.123Z', position: 9007199254740991, doc: { a: [1, 2.5], b: null, text } })),
        { id: 'nulls', interval: null, 'we"ird': null, day: null, count: null, sum: 1e-7, at: null, position: null, doc: null },
      ];

      it('reads back, column for column, what json_to_recordset reads from the same rows as objects, names quoted', async () => {
        const tuples = JSON.stringify(rows.map((row) => Object.values(row)));
        const read = (await sql.query<{ row: string }>(asText(tuplesSql(columns, 1)), [tuples])).rows;
        expect(read).toEqual(await fromObjects(rows, types));
        expect(read).toHaveLength(rows.length);
        expect(JSON.parse(read[0]!.row)).toMatchObject({ id: TEXTS[0], 'we"ird': TEXTS[0] });
      });

      it('reads nothing from an empty array', async () => {
        expect((await sql.query(tuplesSql(columns, 1), ['[]'])).rows).toEqual([]);
      });
    });

    describe('unnestSql of arrayLiteral columns', () => {
      const columns = { id: 'text', day: 'date', count: 'integer', sum: 'numeric', position: 'bigint' } as const;
      const types = 'id text, day date, count integer, sum numeric, position bigint';
      const rows = [
        ...TEXTS.map((text, index) => ({ id: text, day: '2024-02-29', count: -index, sum: index / 3, position: 9007199254740991 })),
        { id: null, day: null, count: null, sum: null, position: null },
      ];
      const params = (batch: readonly Record<string, string | number | null>[]) => Object.keys(columns).map((name) => arrayLiteral(batch.map((row) => row[name]!)));

      it('reads back the rows json_to_recordset reads from the same rows as objects', async () => {
        const read = (await sql.query<{ row: string }>(asText(`SELECT * FROM (${unnestSql(columns)}) AS u(id, day, count, sum, position)`), params(rows))).rows;
        expect(read).toEqual(await fromObjects(rows, types));
        expect(read).toHaveLength(rows.length);
      });

      it('reads nothing from empty arrays', async () => {
        expect(arrayLiteral([])).toBe('{}');
        expect((await sql.query(unnestSql(columns), params([]))).rows).toEqual([]);
      });
    });

    describe('rowsWithDocumentsSql', () => {
      const plain = { id: 'text', note: 'text', count: 'integer' } as const;
      const documents = ['facts', 'factors'] as const;
      const types = ['jsonb', 'jsonb'] as const;
      const rows = TEXTS.map((text, index) => ({ id: `row ${index}`, note: index % 2 === 0 ? text : null, count: index, facts: { text, nested: [text, null, 1.5] }, factors: [text] }));

      it('zips each document array onto the plain columns, row for row', async () => {
        const named = `SELECT * FROM (${rowsWithDocumentsSql(plain, types)}) AS f(id, note, count, facts, factors)`;
        const read = (await sql.query<{ row: string }>(asText(named), rowsWithDocumentsParams(rows, ['id', 'note', 'count'], documents))).rows;
        expect(read).toEqual(await fromObjects(rows, 'id text, note text, count integer, facts jsonb, factors jsonb'));
        expect(read).toHaveLength(rows.length);
      });

      it('keeps a json document as the text sent, and reads the same values as from jsonb', async () => {
        const named = `SELECT id, facts::text AS facts FROM (${rowsWithDocumentsSql(plain, ['json', 'jsonb'])}) AS f(id, note, count, facts, factors)`;
        const read = (await sql.query<{ id: string; facts: string }>(named, rowsWithDocumentsParams(rows, ['id', 'note', 'count'], documents))).rows;
        expect(read).toEqual(rows.map((row) => ({ id: row.id, facts: JSON.stringify(row.facts) })));
        const typed = `SELECT * FROM (${rowsWithDocumentsSql(plain, ['json', 'jsonb'])}) AS f(id, note, count, facts, factors)`;
        const values = (await sql.query<{ facts: unknown }>(typed, rowsWithDocumentsParams(rows, ['id', 'note', 'count'], documents))).rows.map((row) => row.facts);
        expect(values).toEqual(rows.map((row) => row.facts));
      });

      it('sends a null document as JSON null, and reads nothing from no rows', async () => {
        const { rows: read } = await sql.query<{ is_json_null: boolean }>(
          `SELECT f.facts = 'null'::jsonb AS is_json_null FROM (${rowsWithDocumentsSql(plain, types)}) AS f(id, note, count, facts, factors)`,
          rowsWithDocumentsParams([{ id: 'a', note: null, count: 1, facts: null, factors: [] }], ['id', 'note', 'count'], documents),
        );
        expect(read).toEqual([{ is_json_null: true }]);
        expect((await sql.query(rowsWithDocumentsSql(plain, types), rowsWithDocumentsParams([], ['id', 'note', 'count'], documents))).rows).toEqual([]);
      });

      it('reads plain values of every kind as json_to_recordset reads the same rows as JSON', async () => {
        const kinds = { id: 'text', at: 'timestamptz', flag: 'boolean', amount: 'numeric', count: 'integer', day: 'date' } as const;
        const names = Object.keys(kinds) as (keyof typeof kinds)[];
        const odd = [
          { id: 'dates and booleans', at: new Date('2024-05-06T10:00:00.123Z'), flag: true, amount: 66.66666666666667, count: -0, day: '2024-02-29' },
          { id: 'numbers JSON cannot write', at: '2024-05-06T10:00:00Z', flag: false, amount: Number.NaN, count: null, day: null },
          { id: 'infinities', at: null, flag: null, amount: Number.POSITIVE_INFINITY, count: undefined, day: undefined },
          ...TEXTS.map((text, index) => ({ id: text, at: null, flag: null, amount: 1e-7 * index, count: index, day: null, facts: null, factors: null })),
        ].map((row) => ({ ...row, facts: { row: row.id }, factors: [row.id] }));
        const read = (await sql.query<{ row: string }>(asText(`SELECT * FROM (${rowsWithDocumentsSql(kinds, ['json', 'jsonb'])}) AS f(${names.join(', ')}, facts, factors)`), rowsWithDocumentsParams(odd, names, documents))).rows;
        expect(read).toEqual(await fromObjects(odd, 'id text, "at" timestamptz, flag boolean, amount numeric, count integer, day date, facts json, factors jsonb'));
        expect(read).toHaveLength(odd.length);
      });

      it('refuses an object as a plain value, naming what to do', () => {
        expect(() => columnLiteral(['text', { nested: true }])).toThrow(/document column/);
        expect(columnLiteral([])).toBe('{}');
      });
    });
  });
}

describeBatchSql('PostgreSQL', () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, poolSize: 1 }));
describeBatchSql('the embedded database', () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));

describe('perTable', () => {
  it('builds a statement once per table, and once per pair of tables', () => {
    const built: string[] = [];
    const single = perTable((table) => (built.push(table), `SELECT 1 FROM ${table}`));
    expect([single('a'), single('b'), single('a')]).toEqual(['SELECT 1 FROM a', 'SELECT 1 FROM b', 'SELECT 1 FROM a']);
    const pair = perTablePair((first, second) => (built.push(`${first}+${second}`), `${first} ${second}`));
    expect([pair('a', 'b'), pair('a', 'c'), pair('a', 'b'), pair('b', 'a')]).toEqual(['a b', 'a c', 'a b', 'b a']);
    expect(built).toEqual(['a', 'b', 'a+b', 'a+c', 'b+a']);
  });
});

describe('quotedElement', () => {
  it('quotes as escaping every element would, whether or not the text holds a quote or a backslash', () => {
    expect(quotedElement('demo-9000-000001')).toBe('"demo-9000-000001"');
    expect(quotedElement('a"b\\c')).toBe('"a\\"b\\\\c"');
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '"', '\\', ',', '{', ' ', 'é') }), (text) => quotedElement(text) === `"${text.replace(/[\\"]/g, '\\$&')}"`));
  });
});

