import { burnTransactionIds, drain, statisticsPublished, statsOf, tableWith } from './embedded-vacuum-harness.contract';
import { EmbeddedVacuum, IN_MEMORY, PgliteClient } from './index';

describe('EmbeddedVacuum: what it maintains, on PGlite (where no autovacuum runs)', () => {
  let client: PgliteClient;
  beforeEach(async () => (client = await PgliteClient.open(IN_MEMORY, 'main')));
  afterEach(() => client.close());

  it("vacuums a table past autovacuum's dead-row threshold, then analyzes it in a step of its own, and leaves one below every threshold alone", async () => {
    const churned = await tableWith(client, 100, 2); // 200 dead rows against 50 + 0.2 × its rows
    const calm = await tableWith(client, 40, 0); // 40 changes: under the analyze threshold of 50
    const { reports } = await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));

    expect(reports.filter((report) => report.target === `public.${churned}`)).toEqual([
      { target: `public.${churned}`, reason: 'dead_rows', statement: `VACUUM public.${churned}`, durationMs: expect.any(Number) },
      { target: `public.${churned}`, reason: 'statistics', statement: `ANALYZE public.${churned}`, durationMs: expect.any(Number) },
    ]);
    expect(reports.map((report) => report.target)).not.toContain(`public.${calm}`);
    expect(await statsOf(client, churned)).toMatchObject({ n_dead_tup: 0, last_vacuum: expect.any(Date), last_analyze: expect.any(Date) });
    expect(await statsOf(client, calm)).toMatchObject({ last_vacuum: null, last_analyze: null });
  });

  it("vacuums a table past autovacuum's insert threshold (1,000 rows), with no dead rows", async () => {
    const appended = await tableWith(client, 1_200, 0);
    const { reports } = await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));
    expect(reports.filter((report) => report.target === `public.${appended}`).map((report) => report.reason)).toEqual(['inserts', 'statistics']);
    expect(await statsOf(client, appended)).toMatchObject({ last_vacuum: expect.any(Date) });
  });

  it('freezes every table older than the freeze age, the oldest first, before a young table with dead rows, and the database horizon follows', async () => {
    const older = await tableWith(client, 10, 0);
    await burnTransactionIds(client, 120);
    const newer = await tableWith(client, 10, 0);
    await burnTransactionIds(client, 120);
    const churned = await tableWith(client, 100, 2); // young: due for its dead rows only
    const vacuum = new EmbeddedVacuum(client, { intervalMs: 60_000, thresholds: { freezeMaxAge: 100 } });
    const { rows: before } = await client.query<{ age: number }>('SELECT age(datfrozenxid) AS age FROM pg_database WHERE datname = current_database()');
    expect(before[0]!.age).toBeGreaterThan(240);

    const { reports } = await drain(vacuum);
    const frozen = reports.filter((report) => report.reason === 'wraparound');
    expect(frozen.length).toBeGreaterThan(10); // the catalogs' tables too
    expect(reports.slice(0, frozen.length)).toEqual(frozen);
    expect(frozen.every((report) => report.statement === `VACUUM (FREEZE) ${report.target}`)).toBe(true);
    const order = frozen.map((report) => report.target);
    expect(order.indexOf(`public.${older}`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`public.${older}`)).toBeLessThan(order.indexOf(`public.${newer}`));
    expect(reports.slice(frozen.length)).toContainEqual(expect.objectContaining({ target: `public.${churned}`, reason: 'dead_rows' }));
    const { rows: old } = await client.query("SELECT relname FROM pg_class WHERE relkind IN ('r', 'm') AND age(relfrozenxid) > 100");
    expect(old).toEqual([]);
    expect((await vacuum.step()).oldestXidAge).toBeLessThanOrEqual(100);
  });

  it('never picks pg_statistic for its statistics, which ANALYZE skips, so a run of ANALYZEs ends', async () => {
    const tables = Array.from({ length: 60 }, (_, i) => `analyzed_${i}`);
    await client.exec(tables.map((name) => `CREATE TABLE ${name} (a int, b int, c int); INSERT INTO ${name} SELECT g, g, g FROM generate_series(1, 20) g; ANALYZE ${name};`).join('\n'));
    await statisticsPublished();
    await client.query('SELECT 1'); // publishes them
    const { rows } = await client.query<{ due: boolean }>(
      `SELECT n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS due
       FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relid = 'pg_catalog.pg_statistic'::regclass`,
    );
    expect(rows[0]!.due).toBe(true); // by the rule alone, were it analyzable

    const { reports } = await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }), 100);
    expect(reports.filter((report) => report.target === 'pg_catalog.pg_statistic' && report.reason === 'statistics')).toEqual([]);
  });
});
