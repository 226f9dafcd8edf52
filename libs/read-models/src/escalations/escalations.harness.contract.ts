import type { SqlClient } from '@ahe/database';
import { generatePortfolio, type DemoLine } from '@ahe/demo';
import { eventStoreOn, START, type EventEnvelope, type EventStore, type NewEvent } from '@ahe/event-store';
import { currentSchemaVersion, isAccountEventType } from '@ahe/events';
import { escalationsProjection } from './escalations.projection';
import { ESCALATION_SELECT } from './escalations.rows';
import { ESCALATIONS_TABLES } from './escalations.table';

/**
 * Test harness of the escalations specs: a real log (the demo portfolio with escalations woven
 * into its complaints and invoices, plus a hand-made account) and the projection driven directly,
 * tables created under a prefix (none: the logical names the queries read).
 */
export const UNOPENED_STREAM = 'account-esc-unopened';
export const HANDOVER = 'esc-handover';
const NOW = new Date('2026-01-01T00:00:00.000Z');
const projection = escalationsProjection();

const at = (occurredAt: string, type: string, data: unknown): NewEvent => ({
  type,
  schemaVersion: isAccountEventType(type) ? currentSchemaVersion(type) : 1,
  occurredAt,
  data,
});
const later = (instant: string, minutes: number) => new Date(Date.parse(instant) + minutes * 60_000).toISOString();

/**
 * Each complaint opens an escalation a minute later (high severity as critical-complaint, the
 * rest as SLA breaches); odd ones are acknowledged within the hour; two in three are resolved
 * with their complaint. Every seventh invoice opens an invoice-overdue escalation.
 */
function withEscalations(lines: readonly DemoLine[]): NewEvent[] {
  const events: NewEvent[] = [];
  const complaints = new Map<string, number>();
  let invoices = 0;
  for (const line of lines) {
    events.push(at(line.occurredAt, line.type, line.data));
    if (line.type === 'ComplaintRaised') {
      const k = complaints.size;
      complaints.set(line.data.complaintId, k);
      const escalationId = `esc-${line.accountId}-c${k}`;
      events.push(at(later(line.occurredAt, 1), 'EscalationOpened', {
        escalationId,
        rule: line.data.severity === 'high' ? 'critical-complaint' : 'complaint-sla-breach',
        reason: `Complaint ${line.data.complaintId} (${line.data.severity})`,
        triggeringEventId: `trigger-${line.data.complaintId}`,
        severity: line.data.severity,
        dueAt: line.data.slaDueAt,
      }));
      if (k % 2 === 1) {
        events.push(at(later(line.occurredAt, 60), 'EscalationAcknowledged', { escalationId, by: `writer:${k}`, ...(k % 4 === 1 ? { note: 'Calling them back' } : {}) }));
      }
    }
    if (line.type === 'ComplaintResolved') {
      const k = complaints.get(line.data.complaintId);
      if (k !== undefined && k % 3 !== 2) {
        events.push(at(later(line.occurredAt, 1), 'EscalationResolved', { escalationId: `esc-${line.accountId}-c${k}`, resolution: `Complaint resolved: ${line.data.resolution}` }));
      }
    }
    if (line.type === 'InvoiceIssued' && invoices++ % 7 === 0) {
      events.push(at(later(line.occurredAt, 2), 'EscalationOpened', {
        escalationId: `esc-${line.data.invoiceId}`,
        rule: 'invoice-overdue',
        reason: `Invoice ${line.data.invoiceId} unpaid`,
        triggeringEventId: `trigger-${line.data.invoiceId}`,
      }));
    }
  }
  return events;
}

const T0 = '2025-04-01T09:00:00.000Z';

/**
 * Two escalations opened at the same instant, a handover between them and a third, and the
 * events the fold must ignore: an acknowledgement after resolution, of an unknown id, a second
 * open of an id, a second resolution, a type this build does not know.
 */
export const HANDOVER_EVENTS: readonly NewEvent[] = [
  at('2025-03-01T08:00:00.000Z', 'AccountOpened', { name: 'Handover Ltd', segment: 'esc-lab', managerId: 'mgr-esc-a', currency: 'EUR' }),
  at(T0, 'EscalationOpened', { escalationId: 'esc-h1', rule: 'band-red', reason: 'Band turned red', triggeringEventId: 'trigger-h1', severity: 'high', dueAt: '2025-04-02T09:00:00Z' }),
  at(T0, 'EscalationOpened', { escalationId: 'esc-h2', rule: 'satisfaction-drop', reason: 'NPS detractor', triggeringEventId: 'trigger-h2' }),
  at('2025-04-01T10:00:00.000Z', 'EscalationAcknowledged', { escalationId: 'esc-h1', by: 'writer:alice', note: 'Looking into it' }),
  at('2025-04-02T09:00:00.000Z', 'AccountManagerAssigned', { managerId: 'mgr-esc-b', previousManagerId: 'mgr-esc-a' }),
  at('2025-04-03T09:00:00.000Z', 'EscalationOpened', { escalationId: 'esc-h3', rule: 'invoice-overdue', reason: 'Invoice unpaid', triggeringEventId: 'trigger-h3' }),
  at('2025-04-04T09:00:00.000Z', 'EscalationResolved', { escalationId: 'esc-h2', resolution: 'Customer called back' }),
  at('2025-04-04T10:00:00.000Z', 'EscalationAcknowledged', { escalationId: 'esc-h2', by: 'writer:late' }),
  at('2025-04-04T11:00:00.000Z', 'EscalationAcknowledged', { escalationId: 'esc-nope', by: 'writer:ghost' }),
  at('2025-04-04T12:00:00.000Z', 'EscalationOpened', { escalationId: 'esc-h1', rule: 'band-red', reason: 'Opened again', triggeringEventId: 'trigger-again' }),
  at('2025-04-05T09:00:00.000Z', 'EscalationResolved', { escalationId: 'esc-h1', resolution: 'Fixed' }),
  at('2025-04-06T09:00:00.000Z', 'EscalationResolved', { escalationId: 'esc-h1', resolution: 'Fixed twice' }),
  at('2025-04-06T10:00:00.000Z', 'EscalationSnoozed', { escalationId: 'esc-h3' }),
  at('2025-04-07T09:00:00.000Z', 'ContactLogged', { channel: 'call', direction: 'outbound', summary: 'Follow-up' }),
];

/** Appends the portfolio interleaved (so batches mix accounts), the hand-made account, a non-account stream and an unopened account. */
export async function seedEscalationLog(store: EventStore): Promise<void> {
  const byStream = new Map<string, DemoLine[]>();
  for (const line of generatePortfolio({ accounts: 24, years: 2, seed: 11 })) {
    byStream.set(line.streamId, [...(byStream.get(line.streamId) ?? []), line]);
  }
  const queues = [...byStream.entries()].map(([streamId, lines]) => [streamId, withEscalations(lines)] as const);
  for (let offset = 0; queues.some(([, events]) => offset < events.length); offset += 8) {
    for (const [streamId, events] of queues) {
      const chunk = events.slice(offset, offset + 8);
      if (chunk.length > 0) await store.append(streamId, chunk);
    }
  }
  await store.append(`account-${HANDOVER}`, HANDOVER_EVENTS.slice(0, 4));
  await store.append('escalation-inbox-1', [HANDOVER_EVENTS[0]!, at(T0, 'EscalationOpened', { escalationId: 'esc-inbox', rule: 'band-red', reason: 'Not an account', triggeringEventId: 't' })]);
  await store.append(`account-${HANDOVER}`, HANDOVER_EVENTS.slice(4));
  await store.append(UNOPENED_STREAM, [at(T0, 'EscalationOpened', { escalationId: 'esc-unopened', rule: 'band-red', reason: 'No account', triggeringEventId: 't' })]);
}

export async function readWholeLog(store: EventStore): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (let after = START; ; ) {
    const { events, checkpoint } = await store.readAll({ after, limit: 500 });
    if (events.length === 0) return all;
    all.push(...events);
    after = checkpoint;
  }
}

export async function createEscalationTables(sql: SqlClient, prefix: string): Promise<void> {
  for (const table of ESCALATIONS_TABLES) await sql.exec(`DROP TABLE IF EXISTS ${prefix}${table.name}; ${table.ddl(`${prefix}${table.name}`)}`);
}

export function applyEscalationBatch(sql: SqlClient, prefix: string, batch: readonly EventEnvelope[]): Promise<void> {
  return sql.transaction((tx) => projection.apply(batch, { tx, table: (name) => `${prefix}${name}`, now: NOW }));
}

/** Fresh tables under `prefix`, then the events in batches; with `twice`, every batch is applied a second time. */
export async function projectEscalations(sql: SqlClient, prefix: string, events: readonly EventEnvelope[], options: { batchSize: number; twice?: boolean }): Promise<void> {
  await createEscalationTables(sql, prefix);
  for (let start = 0; start < events.length; start += options.batchSize) {
    const batch = events.slice(start, start + options.batchSize);
    await applyEscalationBatch(sql, prefix, batch);
    if (options.twice) await applyEscalationBatch(sql, prefix, batch);
  }
}

/** Every row of both tables, in a stable order, instants as ISO text so equality is exact. */
export async function escalationTablesSnapshot(sql: SqlClient, prefix: string): Promise<{ escalations: unknown[]; accounts: unknown[] }> {
  const escalations = await sql.query(`SELECT ${ESCALATION_SELECT} FROM ${prefix}escalations ORDER BY escalation_id COLLATE "C"`);
  const accounts = await sql.query(`SELECT account_id, name, segment, manager_id, revision FROM ${prefix}escalation_accounts ORDER BY account_id COLLATE "C"`);
  return { escalations: escalations.rows, accounts: accounts.rows };
}

export interface EscalationsHarness {
  readonly sql: () => SqlClient;
  /** The seeded log without the unopened account's event. */
  readonly log: () => readonly EventEnvelope[];
  /** The unopened account's EscalationOpened. */
  readonly ghost: () => EventEnvelope;
}

/** A real store on `open`, seeded once; closed (and its database with `dispose`) after the suite. */
export function escalationsHarness(open: () => Promise<SqlClient>, dispose: (sql: SqlClient) => Promise<void>): EscalationsHarness {
  let sql: SqlClient;
  let store: EventStore;
  let log: EventEnvelope[] = [];
  let ghost: EventEnvelope;
  beforeAll(async () => {
    sql = await open();
    store = await eventStoreOn(sql);
    await seedEscalationLog(store);
    const all = await readWholeLog(store);
    log = all.filter((event) => event.streamId !== UNOPENED_STREAM);
    ghost = all.find((event) => event.streamId === UNOPENED_STREAM)!;
  });
  afterAll(async () => {
    await store?.close();
    if (sql !== undefined) await dispose(sql);
  });
  return { sql: () => sql, log: () => log, ghost: () => ghost };
}
