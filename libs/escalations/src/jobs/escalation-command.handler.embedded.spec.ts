import { accountStreamId } from '@ahe/domain';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import type { OpenEscalationJob, ResolveEscalationJob } from '../escalation-jobs';
import { PermanentJobError } from '../queue/escalation-queue.port';
import { escalationCommandHandler, type JobOutcome } from './escalation-command.handler';

const NOW = new Date('2026-11-20T12:00:00Z');
let counter = 0;

describe('escalationCommandHandler (embedded store)', () => {
  let sql: SqlClient;
  let store: EventStore;
  const outcomes: JobOutcome[] = [];
  const handle = (data: OpenEscalationJob | ResolveEscalationJob) =>
    escalationCommandHandler({ store, now: () => NOW, onOutcome: (_job, outcome) => outcomes.push(outcome) })({
      job: { id: `job-${++counter}`, queue: 'escalations', name: data.kind, data },
      attempt: 1,
    });

  beforeAll(async () => {
    sql = await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY });
    store = await eventStoreOn(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
  });
  beforeEach(() => outcomes.splice(0));

  async function accountWithComplaint(): Promise<string> {
    const accountId = `acct-${++counter}`;
    await store.append(accountStreamId(accountId), [
      { type: 'AccountOpened', schemaVersion: 1, occurredAt: '2026-11-01T00:00:00.000Z', data: { name: 'Acme', segment: 'smb', managerId: 'm-1', currency: 'EUR' }, metadata: { actor: 'test' } },
      {
        type: 'ComplaintRaised',
        schemaVersion: 2,
        occurredAt: '2026-11-19T00:00:00.000Z',
        data: { complaintId: 'c-1', severity: 'critical', category: 'billing', description: 'Double charge', slaDueAt: '2026-11-19T08:00:00.000Z' },
        metadata: { actor: 'test' },
      },
    ]);
    return accountId;
  }

  const openJob = (accountId: string): OpenEscalationJob => ({
    kind: 'open',
    accountId,
    escalation: { escalationId: `esc-${accountId}`, rule: 'complaint-sla-breach', reason: 'Complaint c-1 still open', triggeringEventId: 'evt-1' },
    condition: { kind: 'complaint-open', complaintId: 'c-1' },
  });

  const typesOf = async (accountId: string) => (await store.readStream(accountStreamId(accountId))).map((event) => event.type);

  it('opens once: a second run of the same job appends nothing', async () => {
    const accountId = await accountWithComplaint();
    await handle(openJob(accountId));
    await handle(openJob(accountId));
    expect(outcomes).toEqual(['opened', 'duplicate']);
    expect((await typesOf(accountId)).filter((type) => type === 'EscalationOpened')).toHaveLength(1);
  });

  it('opens nothing for an account that does not exist or is closed', async () => {
    await handle({ ...openJob('no-such-account'), condition: { kind: 'always' } });
    expect(outcomes).toEqual(['cancelled']);
  });

  it('opens nothing when the complaint was resolved before the timer ran', async () => {
    const accountId = await accountWithComplaint();
    await store.append(accountStreamId(accountId), [
      { type: 'ComplaintResolved', schemaVersion: 1, occurredAt: '2026-11-19T06:00:00.000Z', data: { complaintId: 'c-1', resolution: 'Refunded' }, metadata: { actor: 'test' } },
    ]);
    await handle(openJob(accountId));
    expect(outcomes).toEqual(['cancelled']);
    expect(await typesOf(accountId)).not.toContain('EscalationOpened');
  });

  it('resolves an open escalation once, and treats an unknown one as done', async () => {
    const accountId = await accountWithComplaint();
    await handle(openJob(accountId));
    const resolve: ResolveEscalationJob = { kind: 'resolve', accountId, escalationId: `esc-${accountId}`, resolution: 'Complaint resolved', rule: 'complaint-sla-breach' };
    await handle(resolve);
    await handle(resolve);
    await handle({ ...resolve, escalationId: 'never-opened' });
    expect(outcomes).toEqual(['opened', 'resolved', 'duplicate', 'duplicate']);
  });

  it('sends a command the domain refuses for good to the dead-letter queue', async () => {
    const accountId = await accountWithComplaint();
    const job = openJob(accountId);
    await expect(handle({ ...job, escalation: { ...job.escalation, reason: '' } })).rejects.toBeInstanceOf(PermanentJobError);
    expect(await typesOf(accountId)).not.toContain('EscalationOpened');
  });
});
