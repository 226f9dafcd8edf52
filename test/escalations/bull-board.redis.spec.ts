import { startApi, type RunningApi } from '../api/api-harness';
import { dropQueuePrefix, freshQueuePrefix, TEST_REDIS_URL } from '../support/redis-test-prefix';

const KEYS = { admin: 'admin-key-0001', writer: 'writer-key-0001' };
const basic = (password: string) => `Basic ${Buffer.from(`someone:${password}`).toString('base64')}`;

// Bull Board and the queue routes on BullMQ: what an operator opens, and who may open it.
describe('the queue dashboard at /admin/queues (BullMQ on Redis)', () => {
  const prefix = freshQueuePrefix('board');
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi(
      'embedded',
      { REDIS_URL: TEST_REDIS_URL, ESCALATION_QUEUE_PREFIX: prefix, API_KEYS: `admin:${KEYS.admin},writer:${KEYS.writer}` },
      { roles: ['http', 'projections', 'escalations'] },
    );
  });
  afterAll(async () => {
    await api?.close();
    await dropQueuePrefix(prefix);
  });

  it('asks for a key (and lets a browser ask with Basic auth), refuses other roles', async () => {
    const anonymous = await api.http().get('/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: expect.any(String), message: expect.stringContaining('admin API key') });
    await api.http().get('/admin/queues').set('authorization', 'Bearer not-a-key').expect(401);
    const writer = await api.http().get('/admin/queues').set('authorization', `Bearer ${KEYS.writer}`).expect(403);
    expect(writer.body.message).toContain('admin');
    await api.http().get('/admin/queues').set('authorization', basic(KEYS.writer)).expect(403);
  });

  it('serves Bull Board to admins, showing the escalation, webhook and dead-letter queues', async () => {
    const page = await api.http().get('/admin/queues').set('authorization', basic(KEYS.admin)).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const queues = await api.http().get('/admin/queues/api/queues').set('authorization', `Bearer ${KEYS.admin}`).expect(200);
    const names = (queues.body.queues as { name: string }[]).map((queue) => queue.name).sort();
    expect(names).toEqual(['dead-letter', 'escalations', 'webhooks']);
  });

  it('answers the queue depths and the Redis readiness check', async () => {
    const view = await api.http().get('/v1/escalations/queues').set('authorization', `Bearer ${KEYS.admin}`).expect(200);
    expect(view.body.backend).toBe('bullmq');
    expect(view.body.queues.map((queue: { queue: string }) => queue.queue).sort()).toEqual(['dead-letter', 'escalations', 'webhooks']);
    await api.http().get('/v1/escalations/queues').set('authorization', `Bearer ${KEYS.writer}`).expect(403);
    await api.http().get('/v1/escalations/queues').query({ deadLetters: 'many' }).set('authorization', `Bearer ${KEYS.admin}`).expect(400);
    const ready = await api.http().get('/health/ready');
    expect(JSON.stringify(ready.body)).toContain('redis');
  });
});
