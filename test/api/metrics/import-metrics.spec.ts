import { ImportConflictError } from '@ahe/import';
import { MetricsService } from '@ahe/platform';
import { importMetrics } from '../../../apps/api/src/import/import-metrics';
import { accountLines, ndjson } from '../../import-importer.cases';
import { startApi, type RunningApi } from '../api-harness';
import { sampleOf } from './scrape';

describe('POST /v1/import in /metrics', () => {
  let api: RunningApi;
  const scrape = async () => (await api.http().get('/metrics').expect(200)).text;
  const post = (lines: readonly Record<string, unknown>[], key?: string) => {
    const call = api.http().post('/v1/import').set('Content-Type', 'application/x-ndjson');
    return (key ? call.set('Idempotency-Key', key) : call).send(ndjson(lines));
  };

  beforeAll(async () => {
    api = await startApi('embedded');
  }, 60_000);
  afterAll(() => api?.close());

  it('counts each import run by outcome and the events it appended; an idempotent replay runs nothing', async () => {
    await post(accountLines('metrics-a'), 'metrics-import-1').expect(200);
    await post(accountLines('metrics-a'), 'metrics-import-1').expect(200).expect('idempotent-replay', 'true');
    const lines = accountLines('metrics-bad');
    await post([...lines.slice(0, 2), { ...lines[2], data: { invoiceId: 'i1', amount: -5, dueOn: '2025-02-01' } }]).expect(400);

    const text = await scrape();
    expect(sampleOf(text, 'ahe_imports_total{outcome="imported"}')).toBe(1);
    expect(sampleOf(text, 'ahe_imports_total{outcome="refused"}')).toBe(1);
    expect(sampleOf(text, 'ahe_imported_events_total')).toBe(accountLines('metrics-a').length);
  });
});

/**
 * A conflict needs another writer to commit to an account between the import's start and its
 * lock on that account, which the route (it reads the whole body first) gives no hook to time.
 */
describe('ImportMetrics on a conflicting import', () => {
  it('counts it as conflict, with the events it appended before it stopped, and rethrows', async () => {
    const metrics = new MetricsService();
    const conflict = new ImportConflictError('account-late', { events: 3, accounts: 1 }, new Error('wrong expected revision'));
    await expect(importMetrics(metrics).counted(() => Promise.reject(conflict))).rejects.toBe(conflict);
    const text = await metrics.render();
    expect(sampleOf(text, 'ahe_imports_total{outcome="conflict"}')).toBe(1);
    expect(sampleOf(text, 'ahe_imported_events_total')).toBe(3);
  });
});
