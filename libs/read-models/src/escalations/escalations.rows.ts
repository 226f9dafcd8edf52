import { perTablePair, tuplesSql, type TupleColumns } from '../batch-sql';
import { isoInstantSql } from '../scoring/utc-calendar';
import type { Escalation } from './escalations.evolve';

/** Column → SQL type, in table order: the one list behind the select, the upsert and the mapping. */
const ESCALATION_COLUMNS = {
  escalation_id: 'text',
  account_id: 'text',
  account_name: 'text',
  manager_id: 'text',
  segment: 'text',
  rule: 'text',
  reason: 'text',
  severity: 'text',
  due_at: 'timestamptz',
  triggering_event_id: 'text',
  status: 'text',
  created_at: 'timestamptz',
  opened_event_id: 'text',
  acknowledged_at: 'timestamptz',
  acknowledged_by: 'text',
  acknowledgement_note: 'text',
  resolved_at: 'timestamptz',
  resolution: 'text',
  updated_at: 'timestamptz',
  position: 'bigint',
} as const satisfies TupleColumns;

/** A row as written, and as read with ESCALATION_SELECT (instants as ISO text with milliseconds). */
export interface EscalationRow {
  readonly escalation_id: string;
  readonly account_id: string;
  readonly account_name: string;
  readonly manager_id: string;
  readonly segment: string;
  readonly rule: string;
  readonly reason: string;
  readonly severity: string | null;
  readonly due_at: string | null;
  readonly triggering_event_id: string;
  readonly status: string;
  readonly created_at: string;
  readonly opened_event_id: string;
  readonly acknowledged_at: string | null;
  readonly acknowledged_by: string | null;
  readonly acknowledgement_note: string | null;
  readonly resolved_at: string | null;
  readonly resolution: string | null;
  readonly updated_at: string;
  readonly position: number;
}

const COLUMN_NAMES = Object.keys(ESCALATION_COLUMNS) as (keyof EscalationRow)[];

/** The columns of a table aliased `alias` (or not at all), instants as ISO text and position as a number: the same through pg and PGlite. */
function escalationSelect(alias: string | null): string {
  const prefix = alias === null ? '' : `${alias}.`;
  return Object.entries(ESCALATION_COLUMNS)
    .map(([column, type]) => {
      if (type === 'timestamptz') return `${isoInstantSql(prefix + column)} AS ${column}`;
      return type === 'bigint' ? `${prefix}${column}::float8 AS ${column}` : `${prefix}${column} AS ${column}`;
    })
    .join(', ');
}

export const ESCALATION_SELECT = escalationSelect(null);

/** An account's stored document, a row per escalation of it (escalation columns null for none). */
export type AccountDocumentRow = {
  readonly doc_account_id: string;
  readonly doc_name: string;
  readonly doc_segment: string;
  readonly doc_manager_id: string;
  readonly doc_revision: number;
} & ({ readonly escalation_id: null } | EscalationRow);

/**
 * The touched accounts' documents in one read: every escalation belongs to an account whose
 * row was written with it, so the accounts' rows lead and their escalations join in.
 */
export const selectAccountDocumentsSql = perTablePair(
  (accountsTable, escalationsTable) => `SELECT a.account_id AS doc_account_id, a.name AS doc_name, a.segment AS doc_segment, a.manager_id AS doc_manager_id,
      a.revision AS doc_revision, ${escalationSelect('e')}
    FROM ${accountsTable} a LEFT JOIN ${escalationsTable} e ON e.account_id = a.account_id
    WHERE a.account_id = ANY($1::text[])`,
);

/**
 * Writes whole rows, from the tuples of parameter `$param` (escalationTuple). An id already
 * held by another account's row is left alone and missing from RETURNING, which is how the
 * projection notices the clash.
 */
export function upsertEscalationsSql(table: string, param: number): string {
  const columns = COLUMN_NAMES.join(', ');
  const updates = COLUMN_NAMES.filter((column) => column !== 'escalation_id').map((column) => `${column} = excluded.${column}`);
  return `INSERT INTO ${table} AS e (${columns}) ${tuplesSql(ESCALATION_COLUMNS, param)}
    ON CONFLICT (escalation_id) DO UPDATE SET ${updates.join(', ')}
    WHERE e.account_id = excluded.account_id
    RETURNING escalation_id`;
}

/** An escalation as the values of its row, in column order. */
export function escalationTuple(escalation: Escalation): unknown[] {
  const row = escalationRow(escalation);
  return COLUMN_NAMES.map((column) => row[column]);
}

export const escalationRow = (escalation: Escalation): EscalationRow => ({
  escalation_id: escalation.escalationId,
  account_id: escalation.accountId,
  account_name: escalation.accountName,
  manager_id: escalation.managerId,
  segment: escalation.segment,
  rule: escalation.rule,
  reason: escalation.reason,
  severity: escalation.severity,
  due_at: escalation.dueAt,
  triggering_event_id: escalation.triggeringEventId,
  status: escalation.status,
  created_at: escalation.createdAt,
  opened_event_id: escalation.openedEventId,
  acknowledged_at: escalation.acknowledgedAt,
  acknowledged_by: escalation.acknowledgedBy,
  acknowledgement_note: escalation.acknowledgementNote,
  resolved_at: escalation.resolvedAt,
  resolution: escalation.resolution,
  updated_at: escalation.updatedAt,
  position: escalation.position,
});

/** A stored row back into the fold's shape. */
export const escalationOf = (row: EscalationRow): Escalation => ({
  escalationId: row.escalation_id,
  accountId: row.account_id,
  accountName: row.account_name,
  managerId: row.manager_id,
  segment: row.segment,
  rule: row.rule,
  reason: row.reason,
  severity: row.severity,
  dueAt: row.due_at,
  triggeringEventId: row.triggering_event_id,
  status: row.status as Escalation['status'],
  createdAt: row.created_at,
  openedEventId: row.opened_event_id,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  acknowledgementNote: row.acknowledgement_note,
  resolvedAt: row.resolved_at,
  resolution: row.resolution,
  updatedAt: row.updated_at,
  position: row.position,
});
