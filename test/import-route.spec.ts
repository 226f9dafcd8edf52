import { gzipSync } from 'node:zlib';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig, PlatformModule, type AppConfig } from '@ahe/platform';
import { DemoModule } from '../apps/api/src/demo/demo.module';
import { DemoSeeder } from '../apps/api/src/demo/demo-seeder.service';
import { ImportModule } from '../apps/api/src/import/import.module';
import { accountLines, ndjson } from './import-importer.cases';

/** POST /v1/import and DEMO=1 seeding, in a process built like the api (until app.module.ts lists them). */
@Module({})
class ImportTestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ImportTestModule, imports: [PlatformModule.forRoot({ app: 'api', config }), ImportModule, DemoModule] };
  }
}

const LIMIT = 65_536;

describe('POST /v1/import and DEMO seeding', () => {
  let app: NestFastifyApplication;
  let store: EventStore;
  let url: string;
  const post = (key = 'admin-key') => request(url).post('/v1/import').set('Authorization', `Bearer ${key}`);
  const eventCount = async () => {
    let count = 0;
    for (let batch = await store.readAll({ limit: 10_000 }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: 10_000 })) {
      count += batch.events.length;
    }
    return count;
  };

  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent', DATA_DIR: ':memory:', DEMO: 'true', API_KEYS: 'admin:admin-key,writer:writer-key',
      IMPORT_BODY_LIMIT_BYTES: String(LIMIT), DEMO_ACCOUNTS: '4', DEMO_YEARS: '1',
    });
    app = await createHttpApp(ImportTestModule.forRoot(config), config);
    store = app.get<EventStore>(EVENT_STORE);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
  });

  it('seeded the empty store with the demo portfolio at start, and leaves a store with events alone', async () => {
    expect(await store.streamRevision('account-demo-42-0004')).toBeGreaterThan(0);
    expect(await store.streamRevision('account-demo-42-0005')).toBe(-1);
    const before = await eventCount();
    await app.get(DemoSeeder).onApplicationBootstrap();
    expect(await eventCount()).toBe(before);
  });

  it('imports NDJSON and answers the counts', async () => {
    const response = await post().set('Content-Type', 'application/x-ndjson').send(ndjson([...accountLines('route-a'), ...accountLines('route-b')]));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ lines: 14, events: 14, accounts: 2 });
    expect(await store.streamRevision('account-route-b')).toBe(6);
  });

  it('accepts a gzipped body', async () => {
    const response = await post().set('Content-Type', 'application/x-ndjson').set('Content-Encoding', 'gzip')
      .send(gzipSync(ndjson(accountLines('route-gz'))));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ events: 7, accounts: 1 });
  });

  it('answers a retry with the same Idempotency-Key and body as the first time, appending nothing; another body gets 409', async () => {
    const body = ndjson(accountLines('route-idem'));
    const send = (payload: Buffer | string, gzip = false) => {
      const call = post().set('Content-Type', 'application/x-ndjson').set('Idempotency-Key', 'import-idem-1');
      return (gzip ? call.set('Content-Encoding', 'gzip') : call).send(payload);
    };
    const first = await send(body);
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replay']).toBeUndefined();
    const revision = await store.streamRevision('account-route-idem');
    const before = await eventCount();
    for (const again of [await send(body), await send(gzipSync(body), true)]) {
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replay']).toBe('true');
    }
    expect(await eventCount()).toBe(before);
    expect(await store.streamRevision('account-route-idem')).toBe(revision);
    const other = await send(ndjson(accountLines('route-idem-other')));
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(await store.streamRevision('account-route-idem-other')).toBe(-1);
  });

  it('answers 400 INVALID_GZIP to a body that is not gzip or is cut off, and appends nothing', async () => {
    const whole = gzipSync(ndjson(accountLines('route-gz-bad')));
    for (const body of [Buffer.from('not gzip at all, just text\n'), whole.subarray(0, whole.length - 12)]) {
      const response = await post().set('Content-Type', 'application/x-ndjson').set('Content-Encoding', 'gzip').send(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'INVALID_GZIP', message: expect.stringContaining('not valid gzip') });
    }
    expect(await store.streamRevision('account-route-gz-bad')).toBe(-1);
  });

  it('answers 400 naming the first invalid line, and appends nothing', async () => {
    const lines = accountLines('route-bad');
    const body = ndjson([...lines.slice(0, 2), { ...lines[2], data: { invoiceId: 'i1', amount: -5, dueOn: '2025-02-01' } }, ...lines.slice(3)]);
    const response = await post().set('Content-Type', 'application/x-ndjson').send(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400, error: 'Bad Request', code: 'INVALID_DATA', field: 'data.amount',
      message: 'Import refused, nothing was appended: line 3: InvoiceIssued data.amount must be greater than 0',
      details: { line: 3, code: 'INVALID_DATA', field: 'data.amount' },
    });
    expect(await store.streamRevision('account-route-bad')).toBe(-1);
  });

  it('answers 400 naming line 1 to a streamId or type nested too deeply to quote', async () => {
    const nested = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const line = '{"accountId":"route-deep","FIELD":NESTED,"type":"AccountOpened","data":{},"occurredAt":"2025-01-01T00:00:00Z"}';
    for (const [field, code, shown] of [['streamId', 'STREAM_MISMATCH', 'streamId (an array) must be'], ['type', 'UNKNOWN_TYPE', 'type (an array) is not']]) {
      const body = field === 'type' ? line.replace('"type":"AccountOpened"', `"type":${nested}`).replace('"FIELD":NESTED,', '') : line.replace('FIELD', field).replace('NESTED', nested);
      const response = await post().set('Content-Type', 'application/x-ndjson').send(body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code, field, message: expect.stringContaining(`line 1: ${shown}`), details: { line: 1, code, field } });
    }
    expect(await store.streamRevision('account-route-deep')).toBe(-1);
  });

  it('answers 400 INVALID_UTF8 naming the line with bytes that are not UTF-8, and appends nothing', async () => {
    const accounts = ['route-latin1-a', 'route-latin1-b', 'route-latin1-c'];
    const body = Buffer.from(ndjson(accounts.map((accountId) => accountLines(accountId)[0])));
    body[body.indexOf('Acme route-latin1-c') + 2] = 0xe9; // "Acé" as Latin-1 writes it, in a name on line 3
    const response = await post().set('Content-Type', 'application/x-ndjson').send(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_UTF8', message: expect.stringContaining('line 3: is not valid UTF-8'), details: { line: 3, code: 'INVALID_UTF8' },
    });
    for (const accountId of accounts) expect(await store.streamRevision(`account-${accountId}`)).toBe(-1);
  });

  it('answers 400 naming the line and field of a lone UTF-16 surrogate, which jsonb cannot store', async () => {
    const lines = accountLines('route-surrogate');
    const body = ndjson(lines).replace('"summary":"Kick-off"', '"summary":"Kick\\ud800off"');
    const response = await post().set('Content-Type', 'application/x-ndjson').send(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_DATA', field: 'data.summary', details: { line: 2, field: 'data.summary' } });
    expect(await store.streamRevision('account-route-surrogate')).toBe(-1);
  });

  it('needs an admin key, and NDJSON', async () => {
    const body = ndjson(accountLines('route-auth'));
    expect((await request(url).post('/v1/import').set('Content-Type', 'application/x-ndjson').send(body)).status).toBe(401);
    expect((await post('writer-key').set('Content-Type', 'application/x-ndjson').send(body)).status).toBe(403);
    const json = await post().set('Content-Type', 'application/json').send(accountLines('route-auth')[0]!);
    expect(json.status).toBe(415);
    expect(await store.streamRevision('account-route-auth')).toBe(-1);
  });

  it('answers 413 past IMPORT_BODY_LIMIT_BYTES, declared or streamed', async () => {
    const big = ndjson(Array.from({ length: 400 }, () => accountLines('route-big')[0]));
    expect(big.length).toBeGreaterThan(LIMIT);
    const declared = await post().set('Content-Type', 'application/x-ndjson').send(big);
    expect(declared.status).toBe(413);
    const chunked = await fetch(`${url}/v1/import`, {
      method: 'POST',
      headers: { Authorization: 'Bearer admin-key', 'Content-Type': 'application/x-ndjson' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ statusCode: 413, message: expect.stringContaining('IMPORT_BODY_LIMIT_BYTES') });
    expect(await store.streamRevision('account-route-big')).toBe(-1);
  });
});
