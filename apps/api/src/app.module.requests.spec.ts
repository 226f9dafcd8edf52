import request from 'supertest';
import { apiAppHarness } from './api-app-harness.contract';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

describe('api app on the embedded store (in memory)', () => {
  const harness = apiAppHarness();
  const { logLineOf } = harness;
  let url: string;
  beforeAll(() => void ({ url } = harness));

  describe('correlation id', () => {
    it('echoes a valid X-Correlation-Id and logs the request under it', async () => {
      const response = await request(url).get('/health/live').set('X-Correlation-Id', 'crm-sync:42.a_b-c').expect(200);
      expect(response.headers['x-correlation-id']).toBe('crm-sync:42.a_b-c');
      const line = await logLineOf('crm-sync:42.a_b-c', /^GET \/health\/live 200$/);
      expect(line).toMatchObject({ level: 'info', app: 'api' });
    });

    it('generates one when the header is missing or unsafe', async () => {
      const missing = await request(url).get('/health/live').expect(200);
      expect(missing.headers['x-correlation-id']).toMatch(UUID);
      for (const unsafe of ['has space', 'x'.repeat(129), 'new\\nline', 'semi;colon']) {
        const response = await request(url).get('/health/live').set('X-Correlation-Id', unsafe).expect(200);
        expect(response.headers['x-correlation-id']).toMatch(UUID);
      }
    });

    it('is the current one inside a handler, after the body is parsed and across awaits', async () => {
      const response = await request(url).post('/probe/echo').set('X-Correlation-Id', 'cmd-7').send({ name: 'Acme' }).expect(201);
      expect(response.body).toEqual({ body: { name: 'Acme' }, fromRequest: 'cmd-7', current: 'cmd-7' });
    });

    it('redacts the Authorization header in request logs', async () => {
      await request(url).get('/health/live').set('X-Correlation-Id', 'redact-1').set('Authorization', 'Bearer s3cret').expect(200);
      const line = await logLineOf('redact-1', /^GET /);
      expect(JSON.stringify(line)).not.toContain('s3cret');
      expect(line).toMatchObject({ req: { headers: { authorization: '[redacted]' } } });
    });
  });

  describe('errors, in the one shape of API.md', () => {
    it('answers malformed JSON with 400 saying what is wrong', async () => {
      const response = await request(url).post('/probe/echo').set('Content-Type', 'application/json').send('{"name": "Acme",}').expect(400);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, error: 'Bad Request' });
      expect(response.body.message).toMatch(/^Body is not valid JSON: .*position 16/);
    });

    it('answers an empty JSON body with 400', async () => {
      const response = await request(url).post('/probe/echo').set('Content-Type', 'application/json').expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, message: 'Body is empty, but Content-Type is application/json' });
    });

    it('answers a body over the limit (1 MiB by default) with 413', async () => {
      const oversize = JSON.stringify({ summary: 'x'.repeat(1024 * 1024) });
      const response = await request(url).post('/probe/echo').set('Content-Type', 'application/json').send(oversize).expect(413);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 413, error: 'Payload Too Large' });
    });

    it('answers an unsupported content type with 415', async () => {
      const response = await request(url).post('/probe/echo').set('Content-Type', 'application/xml').send('<a/>').expect(415);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 415, error: 'Unsupported Media Type' });
    });

    it('answers an unknown route with 404, timed under one bounded route label', async () => {
      const response = await request(url).get('/v1/nowhere?x=1').set('X-Correlation-Id', 'lost-1').expect(404);
      expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /v1/nowhere?x=1' });
      expect(response.headers['x-correlation-id']).toBe('lost-1');
      const metrics = await request(url).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/ahe_http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/);
    });

    it('turns an unexpected error into a generic 500 and logs it with its stack and correlation id', async () => {
      const response = await request(url).get('/probe/boom').set('X-Correlation-Id', 'boom-1').expect(500);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 500, error: 'Internal Server Error' });
      expect(response.body.message).not.toContain('internals');
      const line = await logLineOf('boom-1', /./);
      expect(line).toMatchObject({ level: 'error', context: 'HttpExceptionFilter' });
      expect(JSON.stringify(line)).toContain('TypeError: probe failure with internals\\n    at ');
    });
  });
});
