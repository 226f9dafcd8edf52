import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig } from '@ahe/platform';
import { AppModule } from '../../../apps/api/src/app.module';
import { AsOfModule } from '../../../apps/api/src/audit/as-of/as-of.module';
import { freshAccountId, openAccountBody } from '../api-harness';
import { caughtUp } from '../queries/queries-harness';
import { API_KEYS_ENV, AS_OF_KEYS } from './as-of.harness';
import { auditLineOf, type AuditApi, type LogLine } from './trail.harness';

/** startAuditApi's capture, with the projections running so that the live health route answers too. */
async function startCapturedApi(): Promise<AuditApi> {
  const config = loadConfig({ LOG_LEVEL: 'info', DATA_DIR: ':memory:', ...API_KEYS_ENV });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logStream = { write: (line: string) => void (rawLogs.push(line), logs.push(JSON.parse(line) as LogLine)) };
  const app = await createHttpApp(
    { module: class AsOfAuditLineApi {}, imports: [AppModule.forRoot({ config, roles: ['http', 'projections'], logStream }), AsOfModule] },
    config,
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    url, app, logs, rawLogs, store: app.get<EventStore>(EVENT_STORE), http: () => request(url),
    behindTheEngine: () => Promise.reject(new Error('not needed here')),
    close: () => app.close(),
  };
}

/**
 * The audit lines of the real as-of routes, in a file of their own: nestjs-pino keeps the first
 * app's log destination per test process, so the lines are captured from this one app only.
 */
describe('the audit trail of the as-of routes, on the embedded store', () => {
  let api: AuditApi;
  let accountId: string;
  let correlation = 0;
  const correlationId = (label: string) => `asof-line-${label}-${++correlation}`;
  const get = (path: string, id: string) => api.http().get(path).set('Authorization', `Bearer ${AS_OF_KEYS.auditor}`).set('X-Correlation-Id', id);
  const linesOf = (id: string) => api.logs.filter((line) => line.audit === true && line.correlationId === id);

  beforeAll(async () => {
    api = await startCapturedApi();
    accountId = freshAccountId('asof-line');
    await api.http().post('/v1/accounts').set('Authorization', `Bearer ${AS_OF_KEYS.writer}`).send(openAccountBody(accountId)).expect(201);
    await caughtUp(api);
  });
  afterAll(() => api?.close());

  it('logs one audit line for GET /v1/accounts/:accountId/state', async () => {
    const id = correlationId('state');
    await get(`/v1/accounts/${accountId}/state`, id).expect(200);
    expect(await auditLineOf(api, id)).toMatchObject({
      audit: true, route: 'GET /v1/accounts/:accountId/state', accountId, roles: ['auditor'], status: 200, outcome: 'complete',
    });
    expect(linesOf(id)).toHaveLength(1);
  });

  it('logs one audit line for GET /v1/health/:accountId with asOf, none without', async () => {
    const asOf = new Date().toISOString();
    const withAsOf = correlationId('health-asof');
    await get(`/v1/health/${accountId}?asOf=${asOf}`, withAsOf).expect(200);
    expect(await auditLineOf(api, withAsOf)).toMatchObject({
      audit: true, route: 'GET /v1/health/:accountId', accountId, query: { asOf }, roles: ['auditor'], status: 200, outcome: 'complete',
    });
    expect(linesOf(withAsOf)).toHaveLength(1);

    const live = correlationId('health-live');
    await get(`/v1/health/${accountId}`, live).expect(200);
    // A later audited request's line has come: the live read's would have been written before it.
    const after = correlationId('after');
    await get(`/v1/accounts/${accountId}/state`, after).expect(200);
    await auditLineOf(api, after);
    expect(linesOf(live)).toEqual([]);
    expect(api.logs.some((line) => line.correlationId === live)).toBe(true);
  });
});
