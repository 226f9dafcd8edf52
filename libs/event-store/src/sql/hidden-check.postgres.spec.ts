import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { anEvent } from '../../contract/harness.contract';
import type { Checkpoint } from '../event-store.port';
import { READ_SQL } from './event-read.queries';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The check a caught-up subscription makes about once a second (are events hidden past its
 * checkpoint?) walks the log index from the checkpoint. Asked as `SELECT EXISTS (…)` of a log
 * never analyzed (autovacuum off, or not yet run), PostgreSQL estimated most of the
 * rows past the head and scanned the whole table for none: 5.6 ms a call on average in the live
 * lag benchmark, 12 s of the database's CPU in 20 s (docs/benchmarks-journal.md, "The hidden-events check").
 */
describe('the hidden-events check on PostgreSQL', () => {
  const schema = `hidden_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  let store: SqlEventStore;
  let head: Checkpoint;
  let earlier: Checkpoint;

  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 2 });
    store = await SqlEventStore.open(sql);
    // 20,000 events in 200 transactions, and no ANALYZE: the log as a fresh deployment has it.
    for (let stream = 0; stream < 200; stream++) {
      await store.append(`account-hidden-${stream}`, Array.from({ length: 100 }, () => anEvent()), 'no_stream');
    }
    // Pages of 10,000: the checkpoint after the first is the earlier one, after the second the head.
    let after: Checkpoint | undefined;
    const pages: Checkpoint[] = [];
    let read = 0;
    for (let i = 0; i < 500 && read < 20_000; i++) {
      const page = await store.readAll({ ...(after === undefined ? {} : { after }), limit: 10_000 });
      if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      else pages.push(page.checkpoint);
      read += page.events.length;
      after = page.checkpoint;
    }
    expect(read).toBe(20_000);
    earlier = pages[0]!;
    head = after!;
  });
  afterAll(async () => {
    await store.close();
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  const ask = async (at: Checkpoint) => (await sql.query(READ_SQL.hiddenAfter, [at.commit.toString(), at.prepare.toString()])).rows.length > 0;
  const nodes = (plan: { 'Node Type': string; Plans?: unknown[] }): string[] =>
    [plan['Node Type'], ...((plan.Plans ?? []) as (typeof plan)[]).flatMap(nodes)];

  it('finds events past an earlier checkpoint, none past the head', async () => {
    expect(await ask(earlier)).toBe(true);
    expect(await ask(head)).toBe(false);
  });

  it('walks the log index from the checkpoint, never the whole table', async () => {
    for (const at of [head, earlier]) {
      const { rows } = await sql.query<{ 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] }>(
        `EXPLAIN (FORMAT JSON) ${READ_SQL.hiddenAfter}`.replace('$1::bigint', `${at.commit}::bigint`).replace('$2::bigint', `${at.prepare}::bigint`),
      );
      const plan = nodes(rows[0]!['QUERY PLAN'][0].Plan);
      expect(plan).not.toContain('Seq Scan');
      expect(plan.some((node) => node.startsWith('Index'))).toBe(true);
    }
  });
});
