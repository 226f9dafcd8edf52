import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { typeScriptLoader } from '../../read-models/src/ltv/ltv-fit.in-worker';
import { IN_MEMORY, isSqlError, PGLITE_THREADINGS, PgliteClient, type PgliteThreading, type SqlQueryable } from './index';

/** Every type the stores read and write, sent as parameters and read back. */
const ROUND_TRIP = `
  SELECT $1::int AS small, $2::bigint AS big, 12345678901234567::int8 AS big_literal, 3.25::numeric AS exact, $3::float8 AS inexact,
         $4::text AS text, $5::timestamptz AS at, $6::bytea AS bytes, $7::jsonb AS document, $8::text[] AS texts, $9::int[] AS numbers,
         NULL::text AS nothing, true AS yes, '7f1c2b52-3f6e-4b7e-9a52-0d9f3b1f0c11'::uuid AS id, '{"a":[1,2]}'::json AS plain_json,
         NULL::jsonb AS no_document, '"quoted"'::jsonb AS json_text, 'null'::jsonb AS json_null, '12.5'::json AS json_number,
         ARRAY['{"k":1}'::jsonb, NULL] AS documents, ARRAY[ARRAY['[1]'::json], ARRAY['"x"'::json]] AS json_grid`;
const ROUND_TRIP_PARAMS = [
  -7,
  9007199254740993n,
  0.1,
  'naïve — 合わせ\ttab',
  new Date('2026-12-03T10:11:12.345Z'),
  Buffer.from([0, 1, 254, 255]),
  { nested: { list: [1, 'two', null] }, at: '2026-12-03' },
  ['a', 'b,c', ''],
  [1, 2, 3],
];

async function twice<T>(work: (client: PgliteClient, thread: PgliteThreading) => Promise<T>): Promise<Record<PgliteThreading, T>> {
  const answers = {} as Record<PgliteThreading, T>;
  for (const thread of PGLITE_THREADINGS) {
    const client = await PgliteClient.open(IN_MEMORY, thread);
    try {
      answers[thread] = await work(client, thread);
    } finally {
      await client.close();
    }
  }
  return answers;
}

const failureOf = (work: () => Promise<unknown>) =>
  work().then(
    () => 'succeeded',
    (error: unknown) => (isSqlError(error) ? { code: error.code, constraint: error.constraint, message: error.message, detail: (error as { detail?: string }).detail } : String(error)),
  );

describe('PGlite on a worker thread of its own', () => {
  it('answers exactly as PGlite on the main thread: the same rows, types and PostgreSQL errors', async () => {
    const answers = await twice(async (client) => {
      const setup = async (sql: SqlQueryable) => {
        await sql.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, CONSTRAINT short CHECK (length(body) < 10))');
        await sql.query('INSERT INTO notes VALUES (1, $1)', ['first']);
      };
      await setup(client);
      return {
        row: (await client.query<Record<string, unknown>>(ROUND_TRIP, ROUND_TRIP_PARAMS)).rows,
        duplicate: await failureOf(() => client.query('INSERT INTO notes VALUES (1, $1)', ['again'])),
        tooLong: await failureOf(() => client.query('INSERT INTO notes VALUES (2, $1)', ['far too long a note'])),
        badSyntax: await failureOf(() => client.query('SELEC 1')),
        badJson: await failureOf(() => client.query('SELECT $1::jsonb', ['{"open": '])),
        copied: await client.transaction((tx) => tx.copyRows('notes', 'id, body', '2\tsecond\n3\tthird \\t\n')),
        notes: (await client.query('SELECT * FROM notes ORDER BY id')).rows,
        // Two columns of one name: the row keeps the last, parsed by its own type only.
        sameNames: (await client.query(`SELECT '"a"'::jsonb AS d, '"b"'::jsonb AS d, '{"x":1}'::jsonb AS t, 'plain' AS t`)).rows,
        // A transaction's statements come back through the thread the same way.
        inTransaction: await client.transaction(async (tx) => (await tx.query<Record<string, unknown>>(ROUND_TRIP, ROUND_TRIP_PARAMS)).rows),
      };
    });
    expect(answers.worker).toStrictEqual(answers.main);
    // And they are what PostgreSQL says, not two equal wrong answers.
    expect(answers.worker.row[0]).toMatchObject({ small: -7, text: 'naïve — 合わせ\ttab', at: new Date('2026-12-03T10:11:12.345Z'), texts: ['a', 'b,c', ''] });
    expect(answers.worker.row[0]!.bytes).toEqual(new Uint8Array([0, 1, 254, 255]));
    // json and jsonb leave the worker as text and are parsed on the caller's thread (pglite-thread.worker.js).
    expect(answers.worker.row[0]).toMatchObject({
      document: ROUND_TRIP_PARAMS[6], plain_json: { a: [1, 2] }, no_document: null, json_text: 'quoted', json_null: null, json_number: 12.5, documents: [{ k: 1 }, null], json_grid: [[[1]], ['x']],
    });
    expect(answers.worker.inTransaction).toStrictEqual(answers.worker.row);
    expect(answers.worker.sameNames).toEqual([{ d: 'b', t: 'plain' }]);
    expect(answers.worker.duplicate).toMatchObject({ code: '23505', constraint: 'notes_pkey', detail: 'Key (id)=(1) already exists.' });
    expect(answers.worker.tooLong).toMatchObject({ code: '23514', constraint: 'short' });
    expect(answers.worker.badSyntax).toMatchObject({ code: '42601' });
    expect(answers.worker.badJson).toMatchObject({ code: '22P02' });
    expect(answers.worker.copied).toBe(2);
    expect(answers.worker.notes).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'second' },
      { id: 3, body: 'third \t' },
    ]);
  });

  describe('on the worker thread', () => {
    let client: PgliteClient;
    beforeAll(async () => (client = await PgliteClient.open(IN_MEMORY, 'worker')));
    afterAll(() => client.close());

    it('refuses a parameter that cannot cross to the thread, naming it, and goes on answering', async () => {
      await expect(client.query('SELECT $1::text', [() => 'a function'])).rejects.toThrow(/could not be cloned/);
      await expect(client.transaction((tx) => tx.query('SELECT $1::text', [Symbol('no')]))).rejects.toThrow(/could not be cloned/);
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    });

    it('leaves the caller’s event loop free while a statement runs', async () => {
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 1);
      try {
        const started = Date.now();
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM generate_series(1, 3000000) AS s, LATERAL (SELECT s % 7) AS m');
        expect(rows).toEqual([{ n: 3_000_000 }]);
        // On the main thread the statement runs synchronously and no timer fires until it ends.
        expect(ticks).toBeGreaterThan(Math.min(20, (Date.now() - started) / 10));
      } finally {
        clearInterval(ticking);
      }
    });

    it('holds a process open while it waits for an answer, and not once nothing waits', async () => {
      const script = `${typeScriptLoader(__dirname)}
        const { PgliteClient } = require(${JSON.stringify(join(__dirname, 'pglite.client.ts'))});
        PgliteClient.open(':memory:', 'worker')
          .then((client) => client.query('SELECT 41 + 1 AS answer'))
          .then(({ rows }) => process.stdout.write(String(rows[0].answer)));`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve)).finally(() => clearTimeout(timer));
      expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '42', stderr: '' });
    }, 60_000);
  });
});
