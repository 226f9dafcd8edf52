import type { EventEnvelope } from '@ahe/event-store';
import {
  applyEscalationBatch,
  createEscalationTables,
  escalationTablesSnapshot,
  HANDOVER,
  projectEscalations,
  type EscalationsHarness,
} from './escalations.harness.contract';
import { escalationOf, type EscalationRow } from './escalations.rows';

interface ExpectedRow {
  escalationId: string;
  accountId: string;
  accountName: string;
  managerId: string;
  segment: string;
  rule: string;
  reason: string;
  severity: string | null;
  dueAt: string | null;
  triggeringEventId: string;
  status: string;
  createdAt: string;
  openedEventId: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  updatedAt: string;
  position: number;
}

/** The rows the log should give, folded the plain way: one pass in log order, no batches, no tables. */
function expectedRows(log: readonly EventEnvelope[]): ExpectedRow[] {
  const accounts = new Map<string, { name: string; managerId: string; segment: string }>();
  const rows = new Map<string, ExpectedRow>();
  for (const event of log) {
    if (!event.streamId.startsWith('account-')) continue;
    const accountId = event.streamId.slice('account-'.length);
    const data = event.data as Record<string, string | undefined>;
    const row = data.escalationId === undefined ? undefined : rows.get(data.escalationId);
    const touch = (target: ExpectedRow) => Object.assign(target, { updatedAt: event.recordedAt, position: event.globalPosition });
    if (event.type === 'AccountOpened') accounts.set(accountId, { name: data.name!, managerId: data.managerId!, segment: data.segment! });
    if (event.type === 'AccountManagerAssigned') {
      accounts.get(accountId)!.managerId = data.managerId!;
      for (const other of rows.values()) if (other.accountId === accountId) touch(Object.assign(other, { managerId: data.managerId! }));
    }
    if (event.type === 'EscalationOpened' && row === undefined) {
      const account = accounts.get(accountId)!;
      rows.set(data.escalationId!, {
        escalationId: data.escalationId!, accountId, accountName: account.name, managerId: account.managerId, segment: account.segment,
        rule: data.rule!, reason: data.reason!, severity: data.severity ?? null, dueAt: data.dueAt === undefined ? null : new Date(data.dueAt).toISOString(),
        triggeringEventId: data.triggeringEventId!, status: 'open', createdAt: event.occurredAt, openedEventId: event.eventId,
        acknowledgedAt: null, acknowledgedBy: null, acknowledgementNote: null, resolvedAt: null, resolution: null,
        updatedAt: event.recordedAt, position: event.globalPosition,
      });
    }
    if (event.type === 'EscalationAcknowledged' && row?.status === 'open') {
      touch(Object.assign(row, { status: 'acknowledged', acknowledgedAt: event.occurredAt, acknowledgedBy: data.by ?? null, acknowledgementNote: data.note ?? null }));
    }
    if (event.type === 'EscalationResolved' && row !== undefined && row.status !== 'resolved') {
      touch(Object.assign(row, { status: 'resolved', resolvedAt: event.occurredAt, resolution: data.resolution! }));
    }
  }
  return [...rows.values()].sort((a, b) => (a.escalationId < b.escalationId ? -1 : 1));
}

export function describeEscalationsProjection(harness: EscalationsHarness): void {
  describe('the escalations projection', () => {
    it('gives the same rows whatever the batch size, and every batch applied twice changes nothing', async () => {
      const [sql, log] = [harness.sql(), harness.log()];
      await projectEscalations(sql, 'b500_', log, { batchSize: 500 });
      const once = await escalationTablesSnapshot(sql, 'b500_');
      expect(once.escalations.length).toBeGreaterThan(40);
      for (const [prefix, batchSize] of [['b7_', 7], ['b1_', 1]] as const) {
        await projectEscalations(sql, prefix, log, { batchSize, twice: true });
        expect(await escalationTablesSnapshot(sql, prefix)).toEqual(once);
      }
      // The whole log again, as a rebuild that lost its checkpoint would.
      for (let start = 0; start < log.length; start += 300) await applyEscalationBatch(sql, 'b500_', log.slice(start, start + 300));
      expect(await escalationTablesSnapshot(sql, 'b500_')).toEqual(once);
    });

    it('holds exactly the rows a plain fold of the log gives', async () => {
      const sql = harness.sql();
      await projectEscalations(sql, 'fold_', harness.log(), { batchSize: 64 });
      const { escalations } = await escalationTablesSnapshot(sql, 'fold_');
      const expected = expectedRows(harness.log());
      expect((escalations as EscalationRow[]).map(escalationOf)).toEqual(expected);
      const statuses = new Set(expected.map((row) => row.status));
      expect(statuses).toEqual(new Set(['open', 'acknowledged', 'resolved']));
      expect(new Set(expected.map((row) => row.rule)).size).toBe(5);
    });

    it('follows a handover, keeps the first open, and ignores what the domain would refuse', async () => {
      const sql = harness.sql();
      await projectEscalations(sql, 'hand_', harness.log(), { batchSize: 5 });
      const { rows } = await sql.query<EscalationRow>(
        `SELECT escalation_id, manager_id, status, reason, acknowledged_by, acknowledgement_note, resolution,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
           to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due_at,
           to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolved_at
         FROM hand_escalations WHERE account_id = $1 ORDER BY escalation_id`,
        [HANDOVER],
      );
      expect(rows).toEqual([
        { escalation_id: 'esc-h1', manager_id: 'mgr-esc-b', status: 'resolved', reason: 'Band turned red', acknowledged_by: 'writer:alice', acknowledgement_note: 'Looking into it', resolution: 'Fixed', created_at: '2025-04-01T09:00:00.000Z', due_at: '2025-04-02T09:00:00.000Z', resolved_at: '2025-04-05T09:00:00.000Z' },
        { escalation_id: 'esc-h2', manager_id: 'mgr-esc-b', status: 'resolved', reason: 'NPS detractor', acknowledged_by: null, acknowledgement_note: null, resolution: 'Customer called back', created_at: '2025-04-01T09:00:00.000Z', due_at: null, resolved_at: '2025-04-04T09:00:00.000Z' },
        { escalation_id: 'esc-h3', manager_id: 'mgr-esc-b', status: 'open', reason: 'Invoice unpaid', acknowledged_by: null, acknowledgement_note: null, resolution: null, created_at: '2025-04-03T09:00:00.000Z', due_at: null, resolved_at: null },
      ]);
      const account = await sql.query(`SELECT name, segment, manager_id, revision FROM hand_escalation_accounts WHERE account_id = $1`, [HANDOVER]);
      // The last event that concerns the model is the second resolution (revision 11), ignored or not.
      expect(account.rows).toEqual([{ name: 'Handover Ltd', segment: 'esc-lab', manager_id: 'mgr-esc-b', revision: 11 }]);
      const inbox = await sql.query(`SELECT 1 FROM hand_escalations WHERE escalation_id = 'esc-inbox'`);
      expect(inbox.rows).toEqual([]);
    });

    it('skips events at or below the folded revision, even replayed out of order after a handover', async () => {
      const sql = harness.sql();
      const handover = harness.log().filter((event) => event.streamId === `account-${HANDOVER}`);
      await projectEscalations(sql, 'stale_', handover, { batchSize: 100 });
      const before = await escalationTablesSnapshot(sql, 'stale_');
      await applyEscalationBatch(sql, 'stale_', handover.slice(0, 3));
      expect(await escalationTablesSnapshot(sql, 'stale_')).toEqual(before);
      // In one batch with a new event: the stale AccountOpened must not hand the account back to mgr-esc-a.
      const last = handover.at(-1)!;
      const next = { ...handover[5]!, eventId: 'esc-h4-opened', revision: last.revision + 1, globalPosition: last.globalPosition + 1, data: { ...(handover[5]!.data as object), escalationId: 'esc-h4' } };
      await applyEscalationBatch(sql, 'stale_', [...handover.slice(0, 3), next]);
      const { rows } = await sql.query(`SELECT manager_id, account_name FROM stale_escalations WHERE escalation_id = 'esc-h4'`);
      expect(rows).toEqual([{ manager_id: 'mgr-esc-b', account_name: 'Handover Ltd' }]);
    });

    it('moves position and updated_at with the event that last changed a row', async () => {
      const sql = harness.sql();
      await projectEscalations(sql, 'pos_', harness.log(), { batchSize: 100 });
      const assigned = harness.log().find((event) => event.streamId === `account-${HANDOVER}` && event.type === 'AccountManagerAssigned')!;
      const resolvedH1 = harness.log().find((event) => event.type === 'EscalationResolved' && (event.data as { resolution: string }).resolution === 'Fixed')!;
      const { rows } = await sql.query<{ escalation_id: string; position: number }>(`SELECT escalation_id, position::float8 AS position FROM pos_escalations WHERE account_id = $1 ORDER BY escalation_id`, [HANDOVER]);
      const h2Resolved = harness.log().find((event) => event.type === 'EscalationResolved' && (event.data as { escalationId: string }).escalationId === 'esc-h2')!;
      const h3Opened = harness.log().find((event) => event.type === 'EscalationOpened' && (event.data as { escalationId: string }).escalationId === 'esc-h3')!;
      expect(rows).toEqual([
        { escalation_id: 'esc-h1', position: resolvedH1.globalPosition },
        { escalation_id: 'esc-h2', position: h2Resolved.globalPosition },
        { escalation_id: 'esc-h3', position: h3Opened.globalPosition },
      ]);
      expect(h3Opened.globalPosition).toBeGreaterThan(assigned.globalPosition);
    });

    it('refuses an escalation on an account never opened, naming both, and writes nothing', async () => {
      const sql = harness.sql();
      const ghost = harness.ghost();
      await createEscalationTables(sql, 'ghost_');
      const opened = harness.log().find((event) => event.streamId === `account-${HANDOVER}`)!;
      await expect(applyEscalationBatch(sql, 'ghost_', [opened, ghost])).rejects.toThrow(`account esc-unopened: EscalationOpened ${ghost.eventId} at revision 0 precedes any AccountOpened`);
      expect(await escalationTablesSnapshot(sql, 'ghost_')).toEqual({ escalations: [], accounts: [] });
    });

    it('refuses an escalation id another account already holds, in the same batch or a later one', async () => {
      const sql = harness.sql();
      const handover = harness.log().filter((event) => event.streamId === `account-${HANDOVER}`);
      const copy = (event: EventEnvelope, position: number): EventEnvelope => ({ ...event, streamId: 'account-esc-copycat', eventId: `copy-${event.eventId}`, globalPosition: position });
      const [openedCopy, h1Copy] = [copy(handover[0]!, 10_000_001), copy(handover[1]!, 10_000_002)];
      await createEscalationTables(sql, 'clash_');
      await expect(applyEscalationBatch(sql, 'clash_', [handover[0]!, handover[1]!, openedCopy, h1Copy])).rejects.toThrow(/escalation esc-h1 already belongs to another account/);
      await applyEscalationBatch(sql, 'clash_', handover.slice(0, 2));
      const before = await escalationTablesSnapshot(sql, 'clash_');
      await expect(applyEscalationBatch(sql, 'clash_', [openedCopy, h1Copy])).rejects.toThrow(/escalation esc-h1 already belongs to another account/);
      expect(await escalationTablesSnapshot(sql, 'clash_')).toEqual(before);
      // Alone, as the engine retries a failed batch, the account itself is fine.
      await applyEscalationBatch(sql, 'clash_', [openedCopy]);
      expect((await escalationTablesSnapshot(sql, 'clash_')).accounts).toHaveLength(2);
    });
  });
}
