import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { parkedEventsHint } from '../apps/cli/src/rebuild.command';
import { TEST_DATABASE_URL } from './api/api-harness';
import { buildOnce, runCli } from './support/child-processes';
import { CHECKPOINT_REFUSED, spoilBuildingGenerations } from './support/spoiled-generations';

jest.setTimeout(300_000);

const NAMES = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 60_000, ltvRefitIntervalMs: 60_000 }).map((definition) => definition.name);
const HELD = 'account_health';
const FAILING = 'escalations';
const REBUILT = NAMES.filter((name) => name !== HELD && name !== FAILING);

type Generations = Record<string, { serving: number; building: number | null; held: string | null }>;

async function generations(sql: SqlQueryable): Promise<Generations> {
  const { rows } = await sql.query<{ name: string; serving: number; building: number | null; held: string | null }>(
    `SELECT name, max(generation) FILTER (WHERE status = 'serving') AS serving, max(generation) FILTER (WHERE status = 'building') AS building,
       max(swap_held) FILTER (WHERE status = 'building') AS held
     FROM projection_generations GROUP BY name`,
  );
  return Object.fromEntries(rows.map(({ name, ...generation }) => [name, generation]));
}

const NOT_REBUILT = `2 of ${NAMES.length} projections were not rebuilt: ` +
  [HELD, FAILING].sort((a, b) => NAMES.indexOf(a) - NAMES.indexOf(b)).map((name) => `${name} (${name === HELD ? 'held' : 'failed'})`).join(', ');
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('ahe rebuild --all with one projection failing and one held, on PostgreSQL', () => {
  const schema = `rebuild_all_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, LOG_LEVEL: 'silent' };
  let sql: SqlClient;
  let before: Generations;

  beforeAll(async () => {
    buildOnce();
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
    const store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: 20, years: 1, seed: 13 });
    await store.close();
    const first = await runCli(env, 180_000, 'rebuild', '--all');
    expect([first.code, first.stderr]).toEqual([0, '']);
    before = await generations(sql);
    await spoilBuildingGenerations(sql, schema, { failing: [FAILING], held: [HELD] });
  });
  afterAll(async () => {
    await sql?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql?.close();
  });

  it('rebuilds and swaps in the others, reports each one not rebuilt, names them at the end and exits 1', async () => {
    const run = await runCli(env, 180_000, 'rebuild', '--all');
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n').map((line) => /^Rebuilt (\w+) and swapped it in: [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\)$/.exec(line)?.[1]))
      .toEqual(REBUILT);
    expect(run.stderr).toContain(`Rebuild of ${FAILING} failed: ${CHECKPOINT_REFUSED} (P0001)\n`);
    expect(run.stderr).toContain(`Rebuild of ${HELD} held: generation ${before[HELD]!.serving + 1} parked `);
    expect(lastLine(run.stderr)).toBe(NOT_REBUILT);

    const after = await generations(sql);
    for (const name of REBUILT) expect(after[name]).toEqual({ serving: before[name]!.serving + 1, building: null, held: null });
    expect(after[FAILING]).toEqual({ serving: before[FAILING]!.serving, building: before[FAILING]!.serving + 1, held: null });
    expect(after[HELD]).toEqual({ serving: before[HELD]!.serving, building: before[HELD]!.serving + 1, held: expect.stringContaining('parked') });
  });

  it('names DATABASE_SCHEMA in the SQL that lists the parked events of the held generation', async () => {
    const { building } = (await generations(sql))[HELD]!;
    const run = await runCli(env, 180_000, 'rebuild', HELD);
    const generation = building! + 1;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `FROM "${schema}".projection_parked_events WHERE name = '${HELD}' AND generation = ${generation} ORDER BY global_position;`);
    expect(run.stderr).not.toContain('projections were not rebuilt');
    const { rows } = await sql.query<{ parked: number }>(
      `SELECT count(*)::int AS parked FROM "${schema}".projection_parked_events WHERE name = '${HELD}' AND generation = $1`, [generation]);
    expect(rows[0]!.parked).toBeGreaterThan(0);
  });

  it('prints one JSON object per projection rebuilt with --json', async () => {
    const run = await runCli(env, 180_000, 'rebuild', '--all', '--json');
    expect(run.code).toBe(1);
    const figures = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; events: number });
    expect(figures.map((figure) => figure.name)).toEqual(REBUILT);
    for (const figure of figures) expect(figure.events).toBeGreaterThan(0);
    expect(lastLine(run.stderr)).toBe(NOT_REBUILT);
  });
});

describe('the SQL a held rebuild prints', () => {
  it('quotes the schema as an identifier and the projection name as a literal; the embedded store has no schema', () => {
    expect(parkedEventsHint("o'brien", 4, 'tenant_a')).toContain(
      `FROM "tenant_a".projection_parked_events WHERE name = 'o''brien' AND generation = 4 ORDER BY global_position;`);
    expect(parkedEventsHint('account_health', 4, undefined)).toContain(
      `FROM projection_parked_events WHERE name = 'account_health' AND generation = 4 ORDER BY global_position;`);
  });
});
