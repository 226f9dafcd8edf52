import { freshAccountId, openAccountBody, startApi, type RunningApi } from './api-harness';

describe('rate limit per API key', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('embedded', { API_KEYS: 'writer:k-one,writer:k-two', RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After in the error shape once a key is over its limit, and appends nothing', async () => {
    const accountId = freshAccountId('limited');
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await api.http().post('/v1/accounts').set('Authorization', 'Bearer k-one')
        .send(openAccountBody(index === 0 ? accountId : freshAccountId('limited')));
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201]);
    const limited = await api.http().post('/v1/accounts').set('Authorization', 'Bearer k-one').send(openAccountBody('never-opened'));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Rate limit of 3 requests per minute exceeded; retry in \d+ s$/),
      code: 'RATE_LIMITED',
      details: { limitPerMinute: 3, retryAfterSeconds: retryAfter },
    });
    expect(await api.store.streamRevision('account-never-opened')).toBe(-1);
  });

  it('counts each key on its own, and never limits health or metrics', async () => {
    await api.http().post('/v1/accounts').set('Authorization', 'Bearer k-two').send(openAccountBody(freshAccountId('other'))).expect(201);
    for (let index = 0; index < 6; index++) {
      await api.http().get('/health/live').expect(200);
      await api.http().get('/metrics').expect(200);
    }
  });
});
