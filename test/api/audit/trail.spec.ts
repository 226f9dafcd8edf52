import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import { keyIdOf } from '@ahe/platform';
import { AuditRead } from '../../../apps/api/src/audit/trail';
import { freshAccountId, openAccountBody } from '../api-harness';
import { download } from './export-download';
import { auditLineOf, startAuditApi, type AuditApi } from './trail.harness';

const KEYS = { writer: 'w-trail-1', analyst: 'a-trail-1', auditor: 'u-trail-1', admin: 'root-trail-1' };
const API_KEYS = Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',');
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

@AuditRead()
@Controller('probe/accounts/:accountId')
class ProbeController {
  @Get('once')
  @AuditRead()
  once(@Param('accountId') accountId: string) {
    return { accountId };
  }

  @Get('health')
  @AuditRead({ whenQueryHas: 'asOf' })
  health(@Param('accountId') accountId: string, @Query('asOf') asOf?: string) {
    return { accountId, asOf: asOf ?? null };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

let correlation = 0;
const correlationId = (label: string) => `trail-${label}-${++correlation}`;

describe('audit routes: roles and the audit trail of every audit read', () => {
  let api: AuditApi;
  let accountId: string;
  beforeAll(async () => {
    api = await startAuditApi('embedded', { API_KEYS }, [ProbeModule]);
    accountId = freshAccountId('trail');
    await api.http().post('/v1/accounts').set(bearer(KEYS.writer)).send(openAccountBody(accountId)).expect(201);
  });
  afterAll(() => api.close());

  it.each(['verify', 'export'])('lets auditors and admins call %s, answers 403 to analysts and writers and 401 without a key', async (route) => {
    const path = `/v1/accounts/${accountId}/${route}`;
    for (const key of [KEYS.auditor, KEYS.admin]) await api.http().get(path).set(bearer(key)).expect(200);
    for (const key of [KEYS.analyst, KEYS.writer]) {
      const refused = await api.http().get(path).set(bearer(key)).expect(403);
      expect(refused.body.message).toMatch(/needs the role auditor or admin/);
    }
    await api.http().get(path).expect(401);
  });

  it('documents both routes for the bearer scheme, the export as NDJSON', async () => {
    const { body: document } = await api.http().get('/docs-json').expect(200);
    const verify = document.paths['/v1/accounts/{accountId}/verify'].get;
    const exported = document.paths['/v1/accounts/{accountId}/export'].get;
    expect(verify).toMatchObject({ tags: ['audit'], security: [{ bearer: [] }], responses: { 200: {}, 404: {}, 403: {} } });
    expect(exported).toMatchObject({ tags: ['audit'], security: [{ bearer: [] }], responses: { 200: { content: { 'application/x-ndjson': {} } }, 404: {} } });
  });

  it('logs a verify as a structured line: route, account, roles, key id (never the key), correlation id, status', async () => {
    const id = correlationId('verify');
    await api.http().get(`/v1/accounts/${accountId}/verify`).set(bearer(KEYS.auditor)).set('X-Correlation-Id', id).expect(200);
    const line = await auditLineOf(api, id);
    expect(line).toMatchObject({
      level: 'info', app: 'api', context: 'AuditTrail', msg: 'audit read', audit: true,
      route: 'GET /v1/accounts/:accountId/verify', accountId, query: {},
      roles: ['auditor'], keyId: keyIdOf(KEYS.auditor), correlationId: id, remoteAddress: '127.0.0.1', status: 200, outcome: 'complete',
      durationMs: expect.any(Number),
    });
    const raw = api.rawLogs.filter((text) => text.includes(`"correlationId":"${id}"`));
    expect(raw.join('')).not.toContain(KEYS.auditor);
    const written = raw.find((text) => text.includes('"audit":true'))!;
    expect(written.match(/"correlationId":/g)).toHaveLength(1);
  });

  it('logs an export with the status and whether the whole stream left', async () => {
    const id = correlationId('export');
    const result = await download(`${api.url}/v1/accounts/${accountId}/export`, () => undefined, { ...bearer(KEYS.admin), 'X-Correlation-Id': id });
    expect(result.complete).toBe(true);
    expect(await auditLineOf(api, id)).toMatchObject({
      route: 'GET /v1/accounts/:accountId/export', accountId, roles: ['admin'], keyId: keyIdOf(KEYS.admin), status: 200, outcome: 'complete',
    });
  });

  it('logs the reads that fail too, with the status the caller got', async () => {
    const ghost = freshAccountId('ghost');
    const notFound = correlationId('ghost');
    await api.http().get(`/v1/accounts/${ghost}/verify`).set(bearer(KEYS.auditor)).set('X-Correlation-Id', notFound).expect(404);
    expect(await auditLineOf(api, notFound)).toMatchObject({ accountId: ghost, status: 404, outcome: 'complete' });
    const bad = correlationId('bad');
    await api.http().get(`/v1/accounts/${accountId}/export?since=yesterday`).set(bearer(KEYS.auditor)).set('X-Correlation-Id', bad).expect(400);
    expect(await auditLineOf(api, bad)).toMatchObject({ query: { since: 'yesterday' }, status: 400 });
  });

  it("logs a read of the account's events", async () => {
    const id = correlationId('events');
    await api.http().get(`/v1/accounts/${accountId}/events?limit=5`).set(bearer(KEYS.analyst)).set('X-Correlation-Id', id).expect(200);
    expect(await auditLineOf(api, id)).toMatchObject({
      route: 'GET /v1/accounts/:accountId/events', accountId, query: { limit: '5' }, roles: ['analyst'], keyId: keyIdOf(KEYS.analyst), status: 200,
    });
  });

  describe('@AuditRead on any controller', () => {
    const auditLines = (id: string) => api.logs.filter((line) => line.audit === true && line.correlationId === id);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

    it('logs a route decorated on both the controller and the method once', async () => {
      await api.http().get('/probe/accounts/acme/once').set(bearer(KEYS.auditor)).set('X-Correlation-Id', 'probe-once').expect(200);
      await settle();
      expect(auditLines('probe-once')).toEqual([
        expect.objectContaining({ route: 'GET /probe/accounts/:accountId/once', accountId: 'acme', roles: ['auditor'], keyId: keyIdOf(KEYS.auditor), status: 200 }),
      ]);
    });

    it('logs a conditional audit read only when its query parameter is there', async () => {
      await api.http().get('/probe/accounts/acme/health').set(bearer(KEYS.auditor)).set('X-Correlation-Id', 'probe-live').expect(200);
      await api.http().get('/probe/accounts/acme/health?asOf=2025-06-01T00:00:00Z').set(bearer(KEYS.auditor)).set('X-Correlation-Id', 'probe-as-of').expect(200);
      await settle();
      expect(auditLines('probe-live')).toEqual([]);
      expect(auditLines('probe-as-of')).toEqual([expect.objectContaining({ query: { asOf: '2025-06-01T00:00:00Z' }, status: 200 })]);
    });
  });
});
