import { seedPortfolio } from '@ahe/demo';
import { foldEvents, type FoldableEvent } from '@ahe/domain';
import { ProjectionEngine } from '@ahe/projections';
import { SQL_CLIENT } from '@ahe/platform';
import type { SqlClient } from '@ahe/database';
import { startApi, type RunningApi } from '../api/api-harness';

/**
 * Blue/green under load: while writers keep appending and readers keep querying, a rebuild
 * of account_health fills a new generation and swaps it in. No query ever sees a half-built
 * table: the number of accounts served never drops, and the end state matches the log.
 */
const SEEDED = 120;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a rebuild under write load', () => {
  let api: RunningApi;
  let sql: SqlClient;

  beforeAll(async () => {
    api = await startApi('postgres', {}, { roles: ['http', 'projections'] });
    sql = api.app.get<SqlClient>(SQL_CLIENT);
    await seedPortfolio(api.store, { accounts: SEEDED, years: 2, seed: 11 });
    await api.app.get(ProjectionEngine).waitUntilCaughtUp(120_000);
  }, 180_000);
  afterAll(() => api?.close());

  it('swaps without a query seeing a partial table, and ends consistent with the log', async () => {
    const before = (await api.http().get('/v1/projections').expect(200)).body.items.find((item: { name: string }) => item.name === 'account_health');
    let writing = true;
    let opened = 0;
    const served: number[] = [];
    const writer = (async () => {
      while (writing) {
        const accountId = `load-${opened}`;
        await api.http().post('/v1/accounts').send({ accountId, name: 'Load', segment: 'smb', managerId: 'mgr-load', currency: 'EUR' }).expect(201);
        opened += 1;
        await api.http().post(`/v1/accounts/${accountId}/complaints`).send({ severity: 'high', category: 'outage', description: 'down' }).expect(201);
      }
    })();
    const reader = (async () => {
      while (writing) {
        const { rows } = await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM account_health');
        served.push(Number(rows[0]!.count));
        const { body } = await api.http().get('/v1/health?limit=1000&sort=accountId').expect(200);
        expect(body.items.length).toBeGreaterThanOrEqual(SEEDED);
      }
    })();

    await sleep(300);
    await api.http().post('/v1/projections/account_health/rebuild').expect(202);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const item = (await api.http().get('/v1/projections').expect(200)).body.items.find((entry: { name: string }) => entry.name === 'account_health');
      if (item.generation > before.generation && item.rebuild === null) break;
      if (Date.now() > deadline) throw new Error(`rebuild never swapped: ${JSON.stringify(item)}`);
      await sleep(100);
    }
    await sleep(300);
    writing = false;
    await Promise.all([writer, reader]);
    await api.app.get(ProjectionEngine).waitUntilCaughtUp(60_000);

    // Served counts only grow: the old generation served until the new one was complete.
    expect(served.length).toBeGreaterThan(10);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(SEEDED);
    for (let n = 1; n < served.length; n++) expect(served[n]!).toBeGreaterThanOrEqual(served[n - 1]!);

    const { body } = await api.http().get('/v1/health?limit=1000&sort=accountId').expect(200);
    const second = await api.http().get(`/v1/health?limit=1000&sort=accountId&cursor=${encodeURIComponent(body.nextCursor ?? '')}`);
    const items = [...body.items, ...(body.nextCursor ? second.body.items : [])];
    expect(items).toHaveLength(SEEDED + opened);
    for (const item of items) {
      const events = await api.store.readStream(`account-${item.accountId}`);
      const state = foldEvents(events as unknown as FoldableEvent[]);
      expect({ accountId: item.accountId, open: item.openComplaints }).toEqual({ accountId: item.accountId, open: Object.keys(state.openComplaints).length });
    }
  }, 300_000);
});
