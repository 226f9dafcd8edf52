import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { TEST_DATABASE_URL } from '../api-harness';
import { buildOnce, runCli } from '../../support/child-processes';
import { caughtUp, startQueriesApi } from './queries-harness';

jest.setTimeout(240_000);

const NAMES = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 60_000, ltvRefitIntervalMs: 60_000 }).map((definition) => definition.name);

/** `ahe …` as built and quiet, its exit code as `status`; asynchronous, so an API in this process keeps serving while it runs. */
async function ahe(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli({ LOG_LEVEL: 'silent', ...env }, 180_000, ...args);
  return { status: code, stdout, stderr };
}

describe('ahe rebuild', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-rebuild-'));
  const embedded = { DATA_DIR: join(work, 'data') };
  let accounts = 0;

  beforeAll(async () => {
    buildOnce();
    const sql = await openDatabase({ kind: 'embedded', dataDir: embedded.DATA_DIR });
    const store = await eventStoreOn(sql);
    accounts = (await seedPortfolio(store, { accounts: 20, years: 1, seed: 5 })).accounts;
    await store.close();
    await sql.close();
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('rebuilds one projection of the embedded store, prints its figures and exits 0', async () => {
    const run = await ahe(embedded, 'rebuild', 'account_health', '--json');
    expect(run.stderr).not.toMatch(/Failed/);
    expect(run.status).toBe(0);
    const figures = JSON.parse(run.stdout);
    expect(figures).toMatchObject({ name: 'account_health', events: expect.any(Number), seconds: expect.any(Number), eventsPerSecond: expect.any(Number) });
    expect(figures.events).toBeGreaterThan(accounts);
    const sql = await openDatabase({ kind: 'embedded', dataDir: embedded.DATA_DIR });
    try {
      const { rows } = await sql.query<{ count: number }>('SELECT count(*)::int AS count FROM account_health');
      expect(rows[0]!.count).toBe(accounts);
    } finally {
      await sql.close();
    }
  });

  it('rebuilds every projection with --all, one line each', async () => {
    const run = await ahe(embedded, 'rebuild', '--all');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(NAMES.length);
    NAMES.forEach((name, index) => expect(lines[index]).toMatch(new RegExp(`^Rebuilt ${name} and swapped it in: [\\d,]+ events in [\\d.]+ s \\([\\d,]+ events/s\\)$`)));
  });

  it.each([
    [['rebuild', 'no_such_projection'], 'No projection is named no_such_projection.'],
    [['rebuild'], 'Which projection?'],
    [['rebuild', 'account_health', '--all'], 'not both'],
  ])('exits 2 listing the projections for %j', async (args, message) => {
    const run = await ahe(embedded, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`Projections: ${NAMES.join(', ')}`);
  });

  it('on PostgreSQL, rebuilds a projection that a running projector owns, through that projector, and exits 0 once swapped', async () => {
    const schema = `rebuild_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const api = await startQueriesApi('postgres', { DATABASE_SCHEMA: schema });
    try {
      await seedPortfolio(api.store, { accounts: 20, years: 1, seed: 6 });
      await caughtUp(api);
      const before = (await api.http().get('/v1/projections').expect(200)).body.items.find((item: { name: string }) => item.name === 'account_health');
      const run = await ahe({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema }, 'rebuild', 'account_health', '--json');
      expect(run.stderr).not.toMatch(/Failed/);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ name: 'account_health', events: expect.any(Number) });
      expect(JSON.parse(run.stdout).events).toBeGreaterThan(20);
      const after = (await api.http().get('/v1/projections').expect(200)).body.items.find((item: { name: string }) => item.name === 'account_health');
      expect(after.generation).toBeGreaterThan(before.generation);
      expect(after.rebuild).toBeNull();
      expect((await api.http().get('/v1/health?limit=1000').expect(200)).body.items).toHaveLength(20);
    } finally {
      await api.close();
    }
  });
});
