import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { SqlClient } from '@ahe/database';
import { WrongExpectedRevisionError, type EventStore } from '@ahe/event-store';
import { importNdjson, InvalidImportLineError } from '@ahe/import';
import { EVENT_STORE, ReadinessRegistry, SQL_CLIENT } from '@ahe/platform';
import { apiAppHarness } from './api-app-harness.contract';

describe('api app on the embedded store (in memory)', () => {
  const harness = apiAppHarness();
  const { logs } = harness;
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(() => void ({ app, url } = harness));

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

  it('counts and logs each page of the log read as rows because its document read failed', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const sql = app.get<SqlClient>(SQL_CLIENT);
    const whole = await store.readAll({ limit: 10_000 });
    const query = sql.query.bind(sql);
    // The app's own projections may read pages meanwhile: every refused document read counts.
    let refused = 0;
    const failing = jest.spyOn(sql, 'query').mockImplementation(((text: string, params?: readonly unknown[], name?: string) => {
      if (!name?.startsWith('ahe_read_all_page')) return query(text, params, name);
      refused++;
      return Promise.reject(new RangeError('Invalid string length'));
    }) as SqlClient['query']);
    try {
      expect(await store.readAll({ limit: 10_000 })).toEqual(whole);
    } finally {
      failing.mockRestore();
    }
    expect(refused).toBeGreaterThanOrEqual(1);
    const metrics = (await request(url).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(new RegExp(`^ahe_log_pages_read_as_rows_total ${refused}$`, 'm'));
    const warnings = logs.filter((line) => line.level === 'warn' && line.context === 'EventStore');
    expect(warnings.map((line) => line.msg)).toEqual(
      Array.from({ length: refused }, () => 'Reading a page of the log as one document failed, so it was read as rows: Invalid string length'),
    );
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

  it('times every account command in /metrics, by command and outcome', async () => {
    const opened = { accountId: 'metrics-cmd', name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR' };
    await request(url).post('/v1/accounts').send(opened).expect(201);
    const contact = { channel: 'call', direction: 'inbound', summary: 'Renewal talk' };
    await request(url).post('/v1/accounts/metrics-cmd/contacts').send(contact).expect(201);
    await request(url).post('/v1/accounts/metrics-cmd/contacts').send(contact).expect(201);
    await request(url).post('/v1/accounts/metrics-nobody/contacts').send(contact).expect(404);
    await request(url).post('/v1/accounts/metrics-cmd/contacts').set('If-Match', '0').send(contact).expect(409);
    const metrics = (await request(url).get('/metrics').expect(200)).text;
    expect(metrics).toContain('# TYPE ahe_command_duration_seconds histogram');
    expect(metrics).toMatch(/^ahe_command_duration_seconds_count\{command="OpenAccount",outcome="accepted"\} 1$/m);
    expect(metrics).toMatch(/^ahe_command_duration_seconds_count\{command="LogContact",outcome="accepted"\} 2$/m);
    expect(metrics).toMatch(/^ahe_command_duration_seconds_count\{command="LogContact",outcome="refused"\} 1$/m);
    expect(metrics).toMatch(/^ahe_command_duration_seconds_count\{command="LogContact",outcome="conflict"\} 1$/m);
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
    harness.closed = true;
    const response = await inFlight;
    await closing;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ done: true });
    expect(logs.some((line) => line.msg === 'Event store closed')).toBe(true);
  });
});
