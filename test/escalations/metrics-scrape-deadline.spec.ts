import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { startApi, type RunningApi } from '../api/api-harness';

/**
 * /metrics counts the escalation queues' jobs in the database when there is no Redis. On the
 * embedded store that database has one connection, which a long transaction (a bulk import)
 * holds: the scrape must answer all the same, without the queue gauge, not wait for it.
 */
describe('GET /metrics while the escalation queue cannot be counted', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('embedded', {}, { roles: ['http', 'projections', 'escalations'] });
  }, 60_000);

  afterAll(() => api?.close());

  it('answers without the queue gauge while the store is held, and with it once the store is free', async () => {
    const counted = await api.http().get('/metrics').expect(200);
    expect(counted.text).toMatch(/^ahe_escalation_queue_jobs\{queue="escalations",state="waiting"\} 0$/m);

    const sql = api.app.get<SqlClient>(SQL_CLIENT);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = sql.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await held;
    });
    try {
      for (let scrape = 0; scrape < 2; scrape++) {
        const busy = await api.http().get('/metrics').expect(200);
        expect(busy.text).toContain('ahe_http_request_duration_seconds_count{method="GET",route="/metrics"');
        expect(busy.text).not.toMatch(/^ahe_escalation_queue_jobs\{/m);
      }
    } finally {
      release();
      await holding;
    }

    const again = await api.http().get('/metrics').expect(200);
    expect(again.text).toMatch(/^ahe_escalation_queue_jobs\{queue="escalations",state="waiting"\} 0$/m);
  }, 60_000);
});
