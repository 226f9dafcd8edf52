import { ESCALATION_QUEUE, type EscalationQueue } from '@ahe/escalations';
import { startApi, type RunningApi } from '../api/api-harness';
import { sampleOf } from '../api/metrics/scrape';
import { eventually } from '../support/eventually';

/**
 * The escalation worker of the all-in-one process (in-process queue, embedded store) given a job
 * its handler cannot run: each attempt and the dead letter reach /metrics.
 */
describe('escalation job failures in /metrics of the running app (embedded)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi('embedded', { ESCALATION_RETRY_ATTEMPTS: '2', ESCALATION_RETRY_BACKOFF_MS: '10' }, { roles: ['http', 'projections', 'escalations'] });
  }, 60_000);
  afterAll(() => api?.close());

  it('counts the failed attempts and the dead letter', async () => {
    const queue = api.app.get<EscalationQueue>(ESCALATION_QUEUE);
    // An open job without its escalation: the handler throws on every attempt.
    await queue.enqueue([{ id: 'malformed-open', queue: 'escalations', name: 'open', data: { kind: 'open', accountId: 'acct-none' } }]);
    await eventually('a dead letter', () => queue.deadLetters(10), (letters) => letters.some((letter) => letter.id === 'malformed-open'), 10_000);

    const text = (await api.http().get('/metrics').expect(200)).text;
    expect(sampleOf(text, 'ahe_escalation_job_failures_total{queue="escalations"}')).toBe(2);
    expect(sampleOf(text, 'ahe_escalation_jobs_dead_lettered_total{queue="escalations"}')).toBe(1);
  }, 30_000);
});
