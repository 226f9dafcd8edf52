import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { STORED_EVENT_STORE } from '@ahe/platform';
import { ERROR_SHAPE, freshAccountId, openAccount } from '../api-harness';
import { download } from './export-download';
import { appendContacts, auditLineOf, type AuditApi } from './trail.harness';

const exportPath = (accountId: string) => `/v1/accounts/${accountId}/export`;

/** GET /v1/accounts/:accountId/export: every envelope as NDJSON, streamed page by page. */
export function describeExportRoute(api: () => AuditApi): void {
  async function allEvents(accountId: string): Promise<EventEnvelope[]> {
    return (await api().http().get(`/v1/accounts/${accountId}/events?limit=10000`).expect(200)).body.items;
  }
  async function exported(accountId: string): Promise<{ lines: unknown[]; headers: Record<string, unknown> }> {
    const lines: unknown[] = [];
    const result = await download(`${api().url}${exportPath(accountId)}`, (line) => lines.push(JSON.parse(line)));
    expect({ status: result.status, complete: result.complete }).toEqual({ status: 200, complete: true });
    return { lines, headers: result.headers };
  }

  it('streams exactly the envelopes of the events route as an NDJSON attachment', async () => {
    const accountId = await openAccount(api());
    for (let score = 1; score <= 5; score++) {
      await api().http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'nps', score }).expect(201);
    }
    const { lines, headers } = await exported(accountId);
    expect(headers).toMatchObject({
      'content-type': 'application/x-ndjson',
      'content-disposition': `attachment; filename="${accountId}-events.ndjson"`,
      'x-export-last-revision': '5',
      'transfer-encoding': 'chunked',
    });
    expect(lines).toEqual(await allEvents(accountId));
    expect(lines).toHaveLength(6);
  });

  it('crosses the pages it reads the store in, keeping revision order', async () => {
    const accountId = freshAccountId('paged');
    await appendContacts(api().store, accountId, 2_501, 700);
    const { lines, headers } = await exported(accountId);
    expect(headers['x-export-last-revision']).toBe('2500');
    expect(lines.map((line) => (line as EventEnvelope).revision)).toEqual(Array.from({ length: 2_501 }, (_, revision) => revision));
    expect(lines).toEqual(await allEvents(accountId));
  });

  it('answers 404 before any byte for an unknown account, and 400 naming a bad id or parameter', async () => {
    const unknown = await api().http().get(exportPath(freshAccountId('ghost'))).expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });
    expect(unknown.headers['content-disposition']).toBeUndefined();
    const badId = await api().http().get(exportPath('x'.repeat(65))).expect(400);
    expect(badId.body.message).toContain('accountId');
    const accountId = await openAccount(api());
    expect((await api().http().get(`${exportPath(accountId)}?format=csv`).expect(400)).body).toMatchObject({ field: 'format' });
  });

  it('cuts the response short, without its final chunk, when the store fails mid-stream', async () => {
    const accountId = freshAccountId('failing');
    await appendContacts(api().store, accountId, 2_200);
    // The store the export reads: events as stored (STORED_EVENT_STORE).
    const restore = failReadsFrom(api().app.get<EventStore>(STORED_EVENT_STORE), `account-${accountId}`, 1_000);
    try {
      let received = 0;
      const result = await download(`${api().url}${exportPath(accountId)}`, () => received++, { 'X-Correlation-Id': `cut-${accountId}` });
      expect({ status: result.status, complete: result.complete, lastRevision: result.headers['x-export-last-revision'] })
        .toEqual({ status: 200, complete: false, lastRevision: '2199' });
      expect(received).toBe(1_000);
      expect(await auditLineOf(api(), `cut-${accountId}`)).toMatchObject({ route: 'GET /v1/accounts/:accountId/export', status: 200, outcome: 'aborted' });
    } finally {
      restore();
    }
    expect(api().logs).toContainEqual(expect.objectContaining({
      level: 'error', context: 'AuditExport', msg: expect.stringMatching(new RegExp(`^Export of account-${accountId} cut short after 1000 events \\(last revision 999\\): store went away`)),
    }));
  });
}

/** Fault injection: the store's reads of one stream from `revision` on fail, as if the database went away. */
function failReadsFrom(store: EventStore, streamId: string, revision: number): () => void {
  const readStream = store.readStream.bind(store);
  Object.assign(store, {
    readStream: (id: string, options?: { fromRevision?: number }) =>
      id === streamId && (options?.fromRevision ?? 0) >= revision ? Promise.reject(new Error('store went away')) : readStream(id, options),
  });
  return () => void delete (store as { readStream?: unknown }).readStream;
}
