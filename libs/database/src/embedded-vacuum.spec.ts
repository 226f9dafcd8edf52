import { EmbeddedVacuum, IN_MEMORY, PgliteClient, type VacuumReport, type VacuumStepOutcome } from './index';

interface TableStats {
  n_dead_tup: number;
  last_vacuum: Date | null;
  last_analyze: Date | null;
}

/** Steps until no table is due; what each maintained, in order. */
async function drain(vacuum: EmbeddedVacuum, limit = 500): Promise<VacuumReport[]> {
  const reports: VacuumReport[] = [];
  for (let step = 0; step < limit; step++) {
    const { vacuumed } = await vacuum.step();
    if (!vacuumed) return reports;
    reports.push(vacuumed);
  }
  throw new Error(`still tables due after ${limit} steps`);
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('EmbeddedVacuum (PGlite, where no autovacuum runs)', () => {
  let client: PgliteClient;
  let table = 0;
  const stats = async (name: string) =>
    (await client.query<TableStats>('SELECT n_dead_tup, last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = $1', [name])).rows[0]!;
  /** A table of `rows` rows, each then updated `updates` times. */
  const tableWith = async (rows: number, updates: number) => {
    const name = `upkeep_${++table}`;
    await client.exec(`CREATE TABLE ${name} (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)`);
    await client.query(`INSERT INTO ${name} (id) SELECT generate_series(1, $1::int)`, [rows]);
    for (let i = 0; i < updates; i++) await client.exec(`UPDATE ${name} SET n = n + 1`);
    // A backend publishes its table statistics at most once a second (PostgreSQL's PGSTAT_MIN_INTERVAL), at the end of a statement.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    return name;
  };

  beforeEach(async () => (client = await PgliteClient.open(IN_MEMORY, 'main')));
  afterEach(() => client.close());

  it("vacuums a table past autovacuum's dead-row threshold, then analyzes it in a step of its own, and leaves one below every threshold alone", async () => {
    const churned = await tableWith(100, 2); // 200 dead rows against 50 + 0.2 × its rows
    const calm = await tableWith(40, 0); // 40 changes: under the analyze threshold of 50
    const reports = await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));

    const ofChurned = reports.filter((report) => report.target === `public.${churned}`);
    expect(ofChurned).toEqual([
      { target: `public.${churned}`, reason: 'dead rows', statement: `VACUUM public.${churned}`, durationMs: expect.any(Number) },
      { target: `public.${churned}`, reason: 'statistics', statement: `ANALYZE public.${churned}`, durationMs: expect.any(Number) },
    ]);
    expect(reports.map((report) => report.target)).not.toContain(`public.${calm}`);
    expect(await stats(churned)).toMatchObject({ n_dead_tup: 0, last_vacuum: expect.any(Date), last_analyze: expect.any(Date) });
    expect(await stats(calm)).toMatchObject({ last_vacuum: null, last_analyze: null });
  });

  it('freezes every table whose transaction ids are older than the freeze age, oldest first, before a young table with dead rows, and the database horizon follows', async () => {
    for (let i = 0; i < 150; i++) await client.query('SELECT txid_current()');
    const churned = await tableWith(100, 2); // young: due for its dead rows only
    const vacuum = new EmbeddedVacuum(client, { intervalMs: 60_000, thresholds: { freezeMaxAge: 100 } });
    const { rows: before } = await client.query<{ age: number }>('SELECT age(datfrozenxid) AS age FROM pg_database WHERE datname = current_database()');
    expect(before[0]!.age).toBeGreaterThan(150);

    const { rows: ages } = await client.query<{ target: string; age: number }>(
      "SELECT format('%I.%I', relnamespace::regnamespace, relname) AS target, age(relfrozenxid) AS age FROM pg_class WHERE relkind IN ('r', 'm')",
    );
    const ageOf = new Map(ages.map((row) => [row.target, row.age]));

    const reports = await drain(vacuum);
    const frozen = reports.filter((report) => report.reason === 'wraparound');
    expect(frozen.length).toBeGreaterThan(10); // the catalogs' tables too
    expect(reports.slice(0, frozen.length)).toEqual(frozen);
    expect(frozen.every((report) => report.statement === `VACUUM (FREEZE) ${report.target}`)).toBe(true);
    expect(reports.slice(frozen.length)).toContainEqual(expect.objectContaining({ target: `public.${churned}`, reason: 'dead rows' }));
    const frozenAges = frozen.map((report) => ageOf.get(report.target)!);
    expect(frozenAges).toEqual([...frozenAges].sort((a, b) => b - a));
    const { rows: old } = await client.query("SELECT relname FROM pg_class WHERE relkind IN ('r', 'm') AND age(relfrozenxid) > 100");
    expect(old).toEqual([]);
    expect((await vacuum.step()).oldestXidAge).toBeLessThanOrEqual(100);
  });

  it('skips a table dropped between reading the catalog and vacuuming it, and the next step goes on', async () => {
    await drain(new EmbeddedVacuum(client, { intervalMs: 60_000 }));
    const doomed = await tableWith(100, 2);
    const statements: string[] = [];
    const droppingFirst = {
      query: client.query.bind(client),
      exec: async (script: string) => {
        statements.push(script);
        if (script.endsWith(`public.${doomed}`)) await client.exec(`DROP TABLE ${doomed}`);
        return client.exec(script);
      },
    };
    const vacuum = new EmbeddedVacuum(droppingFirst, { intervalMs: 60_000 });

    expect(await vacuum.step()).toEqual({ oldestXidAge: expect.any(Number) });
    expect(statements).toEqual([`VACUUM public.${doomed}`]);
    await expect(vacuum.step()).resolves.toEqual(expect.objectContaining({ oldestXidAge: expect.any(Number) }));
  });

  it('steps on its own until stopped, and no step starts once stop() has resolved', async () => {
    const churned = await tableWith(100, 2);
    const outcomes: VacuumStepOutcome[] = [];
    const vacuum = new EmbeddedVacuum(client, { intervalMs: 20, onStep: (outcome) => outcomes.push(outcome) });
    vacuum.start();
    await until(() => outcomes.some((outcome) => outcome.vacuumed?.target === `public.${churned}`), `${churned} vacuumed`);
    await until(() => outcomes.some((outcome) => !outcome.vacuumed), 'a step with nothing due');
    await vacuum.stop();
    const seen = outcomes.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outcomes).toHaveLength(seen);
  });

  it('reports a failed step and keeps stepping', async () => {
    const errors: Error[] = [];
    const closed = await PgliteClient.open(IN_MEMORY, 'main');
    await closed.close();
    const vacuum = new EmbeddedVacuum(closed, { intervalMs: 20, onError: (error) => errors.push(error) });
    vacuum.start();
    await until(() => errors.length >= 2, 'two failed steps');
    await vacuum.stop();
    expect(errors[0]!.message).toMatch(/clos/i);
  });
});
