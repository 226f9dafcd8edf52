import { accountStreamId } from '@ahe/domain';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, type EventMetadata, type EventStore } from '@ahe/event-store';
import { currentSchemaVersion, type AccountEventType } from '@ahe/events';
import { ProjectionEngine } from '@ahe/projections';
import type { PlannedJob } from '../escalation-jobs';
import { InProcessEscalationQueue } from '../queue/in-process-escalation-queue';
import { SHIPPED_RULES, SPEC_SCORING } from '../workflow/testing/escalation-specification';
import { ESCALATION_PROCESS_MANAGER, escalationProcessManager } from './escalation-process-manager.projection';

const DAY_MS = 86_400_000;
const NO_RETRY = { attempts: 1, backoffMs: 1000 };
const URL = 'https://hooks.example.com/escalations';
const ESCALATION = '6f1c2a4e-0d6b-5c55-9a43-1b2c3d4e5f60';
const BY_COMMAND = { correlationId: 'req-1', causationId: 'req-1', actor: 'writer:0123456789ab' };
const BY_IMPORT = { correlationId: 'import-7', actor: 'api' };

/** The process manager on the embedded store, its jobs in the in-process queue (no worker runs them). */
describe('the escalation process manager announces escalation events by when they were recorded', () => {
  let sql: SqlClient;
  let store: EventStore;
  let queue: InProcessEscalationQueue;
  let engine: ProjectionEngine;
  let clock = new Date();
  const planned: PlannedJob[] = [];
  const daysBefore = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

  beforeAll(async () => {
    sql = await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY });
    store = await eventStoreOn(sql);
    queue = await InProcessEscalationQueue.create({ sql, retry: { escalations: NO_RETRY, webhooks: NO_RETRY }, retainCompletedSeconds: 3_600 });
    const definition = escalationProcessManager({
      queue,
      workflow: { rules: SHIPPED_RULES, scoring: SPEC_SCORING },
      webhookUrls: [URL],
      sweepIntervalMs: 3_600_000,
      onEnqueued: (jobs) => planned.push(...jobs),
    });
    engine = new ProjectionEngine({ sql, store, definitions: [definition], clock: () => clock, lockRetryMs: 200 });
    await engine.start();
  });
  afterAll(async () => {
    await engine.stop();
    await queue.close();
    await store.close();
    await sql.close();
  });

  const append = async (accountId: string, type: AccountEventType, occurredAt: string, data: unknown, metadata: Omit<EventMetadata, 'hash' | 'previousHash'>) => {
    await store.append(accountStreamId(accountId), [{ type, schemaVersion: currentSchemaVersion(type), occurredAt, data, metadata }]);
    await engine.waitUntilCaughtUp();
  };
  const announced = (type: string) => planned.filter(({ job }) => job.kind === 'deliver' && JSON.parse(job.body).type === type);
  const queuedDeliveries = async () =>
    (await sql.query<{ id: string }>(`SELECT id FROM escalation_jobs WHERE queue = 'webhooks' ORDER BY id`)).rows.map((row) => row.id);

  it('announces an acknowledgement back-dated 40 days, recorded now; not an import of one as old', async () => {
    const opened = { name: 'Acme', segment: 'smb', managerId: 'm-1', currency: 'EUR' };
    await append('acme', 'AccountOpened', daysBefore(90), opened, BY_COMMAND);
    await append('acme', 'EscalationOpened', daysBefore(45), { escalationId: ESCALATION, rule: 'band-red', reason: 'Red', triggeringEventId: 'e-0' }, BY_COMMAND);
    await append('acme', 'EscalationAcknowledged', daysBefore(40), { escalationId: ESCALATION, by: 'writer:0123456789ab' }, BY_COMMAND);
    expect(announced('EscalationAcknowledged')).toHaveLength(1);
    expect(await queuedDeliveries()).toContain(announced('EscalationAcknowledged')[0]!.id);

    await append('acme', 'EscalationResolved', daysBefore(40), { escalationId: ESCALATION, resolution: 'Backfilled from the CRM' }, BY_IMPORT);
    expect(announced('EscalationResolved')).toEqual([]);
  });

  it('does not announce them again when a replay reads them more than maxAgeDays after they were recorded', async () => {
    const before = planned.length;
    clock = new Date(Date.now() + (SHIPPED_RULES.maxAgeDays + 1) * DAY_MS);
    await engine.rebuild(ESCALATION_PROCESS_MANAGER);
    expect(planned.slice(before).filter(({ job }) => job.kind === 'deliver')).toEqual([]);
  });
});
