import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { WrongExpectedRevisionError, type EventStore } from '@ahe/event-store';
import { importNdjson, InvalidImportLineError } from '@ahe/import';
import { CorrelationId, createHttpApp, currentCorrelationId, EVENT_STORE, loadConfig, ReadinessRegistry } from '@ahe/platform';
import { AppModule, rolesFor } from './app.module';

type LogLine = Record<string, unknown> & { msg?: string; level?: string; correlationId?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

/** Routes the platform has no use for yet (a command with a body, a failure, a slow call). */
@Controller('probe')
class ProbeController {
  @Post('echo')
  async echo(@Body() body: unknown, @CorrelationId() fromRequest: string) {
    await sleep(5); // the id must survive an await, as a command's does
    return { body, fromRequest, current: currentCorrelationId() };
  }

  @Get('boom')
  boom(): never {
    throw new TypeError('probe failure with internals');
  }

  @Get('slow')
  async slow() {
    await sleep(400);
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('api app on the embedded store (in memory)', () => {
  const logs: LogLine[] = [];
  const logStream = { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) };
  let app: NestFastifyApplication;
  let url: string;
  let closed = false;

  async function logLineOf(correlationId: string, msg: RegExp): Promise<LogLine> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const line = logs.find((entry) => entry.correlationId === correlationId && msg.test(String(entry.msg)));
      if (line) return line;
      await sleep(10); // pino-http writes on the response's 'finish', after the client has it
    }
    throw new Error(`no log line for ${correlationId} matching ${msg}`);
  }

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'info' });
    app = await createHttpApp(
      { module: class ApiUnderTest {}, imports: [AppModule.forRoot({ config, roles: rolesFor(config), logStream }), ProbeModule] },
      config,
    );
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    if (!closed) await app.close();
  });

  it('is live', async () => {
    const response = await request(url).get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('is ready once the event store answers', async () => {
    const response = await request(url).get('/health/ready').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
  });

  it('counts appends through the process store in /metrics', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const event = { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00Z', data: { summary: 'call' } };
    await store.append('account-metrics', [event, event], 'no_stream');
    await expect(store.append('account-metrics', [event], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const metrics = (await request(url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^ahe_events_appended_total\{type="ContactLogged"\} 2$/m);
    expect(metrics).toMatch(/^ahe_appends_total\{outcome="written"\} 1$/m);
    expect(metrics).toMatch(/^ahe_appends_total\{outcome="conflict"\} 1$/m);
    expect(metrics).toMatch(/^ahe_append_duration_seconds_count 2$/m);
  });

  it('counts a bulk import in /metrics once it has committed, and nothing of a refused one', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const line = (accountId: string, type: string, data: object, day: number) =>
      JSON.stringify({ accountId, type, data, occurredAt: `2026-01-0${day}T00:00:00.000Z` });
    const opened = (accountId: string) => line(accountId, 'AccountOpened', { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR' }, 1);
    const survey = (accountId: string, score: number) => line(accountId, 'SatisfactionRecorded', { kind: 'csat', score }, 2);
    await importNdjson(store, [opened('metrics-a'), opened('metrics-b'), survey('metrics-b', 4)]);
    await expect(importNdjson(store, [opened('metrics-c'), survey('metrics-c', 9)])).rejects.toBeInstanceOf(InvalidImportLineError);
    const metrics = (await request(url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^ahe_events_appended_total\{type="AccountOpened"\} 2$/m);
    expect(metrics).toMatch(/^ahe_events_appended_total\{type="SatisfactionRecorded"\} 1$/m);
    // The single append of the test before, and one for each stream the import wrote.
    expect(metrics).toMatch(/^ahe_appends_total\{outcome="written"\} 3$/m);
  });

  it('serves Prometheus metrics: request durations by route and the process metrics', async () => {
    await request(url).get('/health/live').expect(200);
    const response = await request(url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toContain('# TYPE ahe_http_request_duration_seconds histogram');
    expect(response.text).toMatch(/ahe_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} \d+/);
    expect(response.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(response.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

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

  it('is not ready, naming the check, when a registered dependency fails', async () => {
    app.get(ReadinessRegistry).register('probeDependency', async () => {
      throw new Error('connection refused');
    });
    const response = await request(url).get('/health/ready').expect(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Not ready: probeDependency is down: connection refused',
      details: { info: { eventStore: { status: 'up' } }, error: { probeDependency: { status: 'down' } } },
    });
  });

  it('lets an in-flight request finish when the app closes', async () => {
    const inFlight = request(url).get('/probe/slow').then((response) => response);
    await sleep(100);
    const closing = app.close();
    closed = true;
    const response = await inFlight;
    await closing;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ done: true });
    expect(logs.some((line) => line.msg === 'Event store closed')).toBe(true);
  });
});
