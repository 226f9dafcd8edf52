import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, parseCheckpoint, type EventStore } from '@ahe/event-store';
import { existingScratchTables, ReplayInterruptedError, ReplayVerifyBusyError, verifyReplay, type ReplayVerifyReport } from '@ahe/projections';
import { READ_MODEL_REPLAY_COMPARISON, replayExitCode } from '../apps/cli/src/replay.command';
import { openAccountBody, TEST_DATABASE_URL, type RunningApi } from './api/api-harness';
import { caughtUp, startQueriesApi } from './api/queries/queries-harness';
import { ahe, DEFINITIONS, expectIdentical, expectTamperingNamed, seed, tamper } from './replay-verify.harness';

jest.setTimeout(240_000);

describe('ahe replay --verify on PostgreSQL, while the projector runs', () => {
  const schema = `replay_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  let api: RunningApi;
  let sql: SqlClient;
  let store: EventStore;
  let parkedEventId: string;

  beforeAll(async () => {
    api = await startQueriesApi('postgres', env);
    parkedEventId = await seed(api);
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
    store = await eventStoreOn(sql);
  });
  afterAll(async () => {
    await store?.close();
    await sql?.close();
    await api?.close();
  });

  it('reports every projection identical to a replay of the log, lists the parked event, exits 0 and leaves no scratch table', async () => {
    const started = performance.now();
    const run = await ahe(env, 'replay', '--verify');
    console.log(`replay --verify of 20 accounts × 1 year on PostgreSQL: ${((performance.now() - started) / 1000).toFixed(2)} s in all\n${run.stdout}`);
    expectIdentical(run, parkedEventId);
    expect(await existingScratchTables(sql, DEFINITIONS)).toEqual([]);
  });

  it('compares at the live checkpoint it started from while writers and the live projections move on', async () => {
    let wrote: Promise<void> | undefined;
    // The replay's first read waits until the log and the live read models have moved past the snapshot.
    const moving = Object.create(store) as EventStore;
    moving.readAll = async (options) => {
      wrote ??= (async () => {
        for (let n = 0; n < 5; n++) await api.http().post('/v1/accounts').send(openAccountBody(`late-${n}`)).expect(201);
        await caughtUp(api);
      })();
      await wrote;
      return store.readAll(options);
    };
    const report = await verifyReplay({ sql, store: moving, definitions: DEFINITIONS, comparison: READ_MODEL_REPLAY_COMPARISON });
    expect(wrote).toBeDefined();
    expect(report.identical).toBe(true);
    const health = report.projections.find((projection) => projection.name === 'account_health')!;
    expect(health.eventsPastCheckpoint).toBeGreaterThanOrEqual(5);
    const { rows } = await sql.query<{ commit: string; prepare: string; count: number }>(
      `SELECT checkpoint_commit::text AS commit, checkpoint_prepare::text AS prepare, (SELECT count(*)::int FROM account_health) AS count
       FROM projection_generations WHERE name = 'account_health' AND status = 'serving'`,
    );
    expect(parseCheckpoint(health.checkpoint!).prepare).toBeLessThan(BigInt(rows[0]!.prepare));
    expect(rows[0]!.count).toBe(health.tables.find((table) => table.table === 'account_health')!.liveRows + 5);
  });

  it('compares time-based values as of one instant: two days on, every live row is re-scored there like the replayed ones', async () => {
    const later = () => new Date(Date.now() + 2 * 86_400_000);
    const report = await verifyReplay({ sql, store, definitions: DEFINITIONS, comparison: READ_MODEL_REPLAY_COMPARISON, clock: later });
    const health = report.projections.find((projection) => projection.name === 'account_health')!;
    const { rows } = await sql.query<{ open: number }>(`SELECT count(*)::int AS open FROM account_health WHERE status = 'open'`);
    expect(rows[0]!.open).toBeGreaterThan(0);
    expect(health.rescored!.live).toBeGreaterThanOrEqual(rows[0]!.open);
    expect(report.identical).toBe(true);

    // Without the refresh, live rows scored two days earlier than the replay's differ in their days since the last contact.
    const unrefreshed = await verifyReplay({
      sql, store, definitions: DEFINITIONS, clock: later, comparison: { ...READ_MODEL_REPLAY_COMPARISON, refreshedAtOneInstant: [] },
    });
    const table = unrefreshed.projections.find((projection) => projection.name === 'account_health')!.tables.find((diff) => diff.table === 'account_health')!;
    expect(table.differing.count).toBe(rows[0]!.open);
    expect(table.differing.items[0]!.columns.map((column) => column.column)).toEqual(expect.arrayContaining(['days_since_last_contact', 'rescore_at']));
  });

  it('stops when asked, drops its scratch tables and says so', async () => {
    const stop = new AbortController();
    const run = verifyReplay({
      sql, store, definitions: DEFINITIONS, batchSize: 50,
      onProgress: ({ eventsReplayed }) => eventsReplayed > 0 && stop.abort(),
      signal: stop.signal,
    });
    await expect(run).rejects.toBeInstanceOf(ReplayInterruptedError);
    expect(await existingScratchTables(sql, DEFINITIONS)).toEqual([]);
  });

  it('runs one verification per schema at a time, and a refused one leaves the running one its tables', async () => {
    const runs = await Promise.allSettled([
      verifyReplay({ sql, store, definitions: DEFINITIONS, comparison: READ_MODEL_REPLAY_COMPARISON }),
      verifyReplay({ sql, store, definitions: DEFINITIONS, comparison: READ_MODEL_REPLAY_COMPARISON }),
    ]);
    const refused = runs.filter((run) => run.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(ReplayVerifyBusyError);
    expect(runs.filter((run) => run.status === 'fulfilled').map((run) => (run as PromiseFulfilledResult<ReplayVerifyReport>).value.identical)).toEqual([true]);
  });

  it('exits 1 naming each row changed, deleted or added behind the engine, and the forgotten parked event', async () => {
    const tampered = await tamper(sql);
    const run = await ahe(env, 'replay', '--verify');
    expectTamperingNamed(run, tampered);
    expect(await existingScratchTables(sql, DEFINITIONS)).toEqual([]);

    const json = await ahe(env, 'replay', '--verify', 'account_health', '--json', '--max-rows', '1');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as ReplayVerifyReport;
    expect(report.projections.map((projection) => projection.name)).toEqual(['account_health']);
    const table = report.projections[0]!.tables.find((diff) => diff.table === 'account_health')!;
    expect(table.onlyInLive).toMatchObject({ count: 1, items: [{ key: { account_id: 'bogus-1' } }] });
    expect(table.differing.items[0]).toMatchObject({ key: { account_id: tampered.changed }, columns: [{ column: 'churn_risk' }] });
  });

  it('exits 3, not 1, when it had nothing to compare with: a schema no projection has run on', async () => {
    const untouched = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: `replay_${randomUUID().replace(/-/g, '').slice(0, 10)}` };
    try {
      const run = await ahe(untouched, 'replay', '--verify');
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`Could not verify ${DEFINITIONS.map((definition) => definition.name).join(', ')}: nothing to compare with`);
      expect(run.stdout).toMatch(/^account_health: NOT VERIFIED, no live generation/m);
      const json = await ahe(untouched, 'replay', '--verify', 'account_health', '--json');
      expect(json.status).toBe(3);
      expect((JSON.parse(json.stdout) as ReplayVerifyReport).projections.map((projection) => projection.unverifiable)).toEqual([expect.stringContaining('no live generation')]);
    } finally {
      await sql.query(`DROP SCHEMA IF EXISTS ${untouched.DATABASE_SCHEMA} CASCADE`);
    }
  });

  it('exits 1 when one projection differs even if another could not be compared, 3 when the rest match', async () => {
    const report = await verifyReplay({ sql, store, definitions: DEFINITIONS, comparison: READ_MODEL_REPLAY_COMPARISON });
    const [health, ...others] = report.projections;
    const unverified = { ...health!, unverifiable: 'the live generation 1 (serving) was built by version 0', tables: [], identical: false };
    const differing = { ...health!, identical: false };
    expect(replayExitCode(report)).toBe(report.identical ? 0 : 1);
    expect(replayExitCode({ ...report, identical: false, projections: [unverified, ...others.map((other) => ({ ...other, identical: true }))] })).toBe(3);
    expect(replayExitCode({ ...report, identical: false, projections: [unverified, differing] })).toBe(1);
  });

  it.each([
    [['replay'], 'ahe replay needs --verify'],
    [['replay', '--verify', 'account_health', 'no_such_projection'], 'No projection is named no_such_projection.'],
  ])('exits 2 listing the projections for %j', async (args, message) => {
    const run = await ahe(env, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`Projections: ${DEFINITIONS.map((definition) => definition.name).join(', ')}`);
  });
});
