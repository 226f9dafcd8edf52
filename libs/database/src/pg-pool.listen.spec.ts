import { Client } from 'pg';
import { PgPoolClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Subscriptions that start together (an engine starting its projections) listen on the same
 * channel at once. They must share one LISTEN on the listener connection (queries queued on a
 * busy node-postgres client are deprecated, gone in pg 9), and every one of them must still be
 * woken by a notification.
 */
describe('PgPoolClient listening from many subscribers at once', () => {
  let sql: PgPoolClient;
  beforeAll(() => {
    sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 2 });
  });
  afterAll(() => sql.close());

  it('sends one LISTEN for concurrent listeners of a new channel, and wakes them all', async () => {
    const queries = jest.spyOn(Client.prototype, 'query');
    try {
      const channel = `ahe_listen_spec_${process.pid}`;
      const woken: string[][] = Array.from({ length: 8 }, () => []);
      const stops = await Promise.all(woken.map((payloads) => sql.listen(channel, (payload) => payloads.push(payload))));
      const listens = queries.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('LISTEN'));
      expect(listens).toEqual([[`LISTEN "${channel}"`]]);
      await sql.query(`SELECT pg_notify($1, 'hello')`, [channel]);
      const deadline = Date.now() + 5_000;
      while (woken.some((payloads) => payloads.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(woken).toEqual(woken.map(() => ['hello']));
      await Promise.all(stops.map((stop) => stop()));
    } finally {
      queries.mockRestore();
    }
  });
});
