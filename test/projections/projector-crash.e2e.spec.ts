import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { ProjectionEngine, readProjectionStatuses } from '@ahe/projections';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { TEST_DATABASE_URL } from '../api/api-harness';
import { buildOnce, freePort, start, within, type Running } from '../support/child-processes';
import { snapshotReadModels } from './read-model-snapshot';

/**
 * A projector process killed with SIGKILL in the middle of its work, again and again, then
 * restarted: its read models end up identical, row for row, to a clean rebuild of the log.
 */
const definitions = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 3_600_000, ltvRefitIntervalMs: 3_600_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a projector killed mid-batch', () => {
  const schema = `crash_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  let store: EventStore;
  let events = 0;

  beforeAll(async () => {
    buildOnce();
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    store = await eventStoreOn(sql);
    events = (await seedPortfolio(store, { accounts: 250, years: 2, seed: 7 })).events;
  }, 180_000);
  afterAll(async () => {
    await store?.close();
    await sql?.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql?.close();
  });

  async function startProjector(): Promise<Running> {
    const port = await freePort();
    return start('projector', {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PROJECTION_BATCH_SIZE: '50',
      PROJECTION_LOCK_RETRY_MS: '200',
    });
  }

  const positions = async () => {
    const statuses = await readProjectionStatuses(sql, { definitions, store, now: new Date() });
    return statuses.map((status) => status.position ?? -1);
  };

  it('ends with the same rows as a clean rebuild', async () => {
    // The last event in log order (commit order, as checkpoints advance), which is not the
    // largest position when the seed's concurrent writers committed out of position order.
    const { rows } = await sql.query<{ head: string }>('SELECT global_position::text AS head FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1');
    const head = Number(rows[0]!.head);
    let kills = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const projector = await startProjector();
      // Kill it at a random moment once it has made progress and is still behind the log.
      const deadline = Date.now() + 60_000;
      let seen: number[] = [];
      while (Date.now() < deadline) {
        seen = await positions().catch(() => []);
        if (seen.some((position) => position > 0)) break;
        await sleep(20);
      }
      await sleep(50 + Math.floor(Math.random() * 300));
      projector.child.kill('SIGKILL');
      const exit = await within(projector.exited, 10_000, 'SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      if ((await positions()).some((position) => position < head)) kills += 1;
    }
    expect(kills).toBeGreaterThan(0);

    const projector = await startProjector();
    const deadline = Date.now() + 120_000;
    while (!(await positions()).every((position) => position === head)) {
      if (Date.now() > deadline) {
        projector.child.kill('SIGKILL');
        throw new Error(`never caught up: ${await positions()} of ${head}\n${projector.output()}`);
      }
      await sleep(100);
    }
    projector.child.kill('SIGTERM');
    expect((await within(projector.exited, 15_000, 'SIGTERM')).code).toBe(0);
    const afterCrashes = await snapshotReadModels(sql, definitions);

    const engine = new ProjectionEngine({ sql, store, definitions, batchSize: 500 });
    await engine.start();
    try {
      await engine.waitUntilCaughtUp(60_000);
      for (const definition of definitions) await engine.rebuild(definition.name);
    } finally {
      await engine.stop();
    }
    const rebuilt = await snapshotReadModels(sql, definitions);

    expect(Object.keys(afterCrashes).length).toBeGreaterThanOrEqual(4);
    expect(afterCrashes['account_health']!.length).toBe(250);
    expect(events).toBeGreaterThan(5_000);
    for (const table of Object.keys(rebuilt)) expect({ table, rows: afterCrashes[table] }).toEqual({ table, rows: rebuilt[table] });
  }, 300_000);
});
