import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { startApi, type RunningApi } from '../api-harness';
import { hasSeries, sampleOf } from './scrape';

const pool = (state: string) => `ahe_db_pool_connections{state="${state}"}`;

describe('ahe_db_pool_connections on PostgreSQL', () => {
  let api: RunningApi;
  const scrape = async () => (await api.http().get('/metrics').expect(200)).text;

  beforeAll(async () => {
    api = await startApi('postgres', { PG_POOL_SIZE: '2' });
  }, 60_000);
  afterAll(() => api?.close());

  it('reads the pool at scrape time: connections held, and a caller waiting for one', async () => {
    const sql = api.app.get<SqlClient>(SQL_CLIENT);
    const releases: Array<() => void> = [];
    const started: Promise<void>[] = [];
    const holding = [0, 1].map(() => {
      let began!: () => void;
      started.push(new Promise<void>((resolve) => (began = resolve)));
      return sql.transaction(async (tx) => {
        await tx.query('SELECT 1');
        began();
        await new Promise<void>((resolve) => releases.push(resolve));
      });
    });
    await Promise.all(started);
    const waiting = sql.query('SELECT 1');
    try {
      const busy = await scrape();
      expect(sampleOf(busy, pool('total'))).toBe(2);
      expect(sampleOf(busy, pool('idle'))).toBe(0);
      // Ours, and the scrape's own count of the escalation queues when it was asked before the pool was read.
      expect(sampleOf(busy, pool('waiting'))).toBeGreaterThanOrEqual(1);
    } finally {
      for (const release of releases) release();
      await Promise.all([...holding, waiting]);
    }
    const free = await scrape();
    expect(sampleOf(free, pool('waiting'))).toBe(0);
    // The scrape's own queue count may hold a connection while the pool is read.
    expect(sampleOf(free, pool('total'))).toBe(2);
  }, 30_000);
});

describe('ahe_db_pool_connections on the embedded store', () => {
  it('is absent: one connection, no pool', async () => {
    const api = await startApi('embedded');
    try {
      expect(hasSeries((await api.http().get('/metrics').expect(200)).text, 'ahe_db_pool_connections')).toBe(false);
    } finally {
      await api.close();
    }
  }, 60_000);
});
