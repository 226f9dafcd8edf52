import type { SqlQueryable } from '@ahe/database';
import type { EscalationRule, Severity } from '@ahe/events';
import type { Page } from '../query.types';
import { decodeEscalationCursor, encodeEscalationCursor } from './escalation-cursor';
import { ESCALATION_SELECT, type EscalationRow } from './escalations.rows';
import { ESCALATIONS } from './escalations.table';
import { DEFAULT_ESCALATION_PAGE_SIZE, MAX_ESCALATION_PAGE_SIZE, type EscalationListQuery, type EscalationStatus, type EscalationView } from './escalations.types';

/**
 * Reads the serving generation through its view. Lists are keyset pages, newest first:
 * (created_at, escalation_id) descending, which every index of the table ends in.
 */
export class EscalationQueries {
  constructor(private readonly sql: SqlQueryable) {}

  async get(escalationId: string): Promise<EscalationView | null> {
    const { rows } = await this.sql.query<EscalationRow>(`SELECT ${ESCALATION_SELECT} FROM ${ESCALATIONS} WHERE escalation_id = $1`, [escalationId]);
    return rows[0] === undefined ? null : escalationViewOf(rows[0]);
  }

  /** Throws InvalidCursorError for a cursor this API did not hand out, RangeError for a limit outside 1..1000. */
  async list(query: EscalationListQuery): Promise<Page<EscalationView>> {
    const limit = query.limit ?? DEFAULT_ESCALATION_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ESCALATION_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_ESCALATION_PAGE_SIZE}, not ${limit}`);
    }
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.status !== undefined) where.push(`status = ${bind(query.status)}`);
    if (query.accountId !== undefined) where.push(`account_id = ${bind(query.accountId)}`);
    if (query.rule !== undefined) where.push(`rule = ${bind(query.rule)}`);
    if (query.managerId !== undefined) where.push(`manager_id = ${bind(query.managerId)}`);
    if (query.cursor !== undefined) {
      const cursor = decodeEscalationCursor(query.cursor);
      where.push(`(created_at, escalation_id) < (${bind(cursor.createdAt)}::timestamptz, ${bind(cursor.escalationId)})`);
    }
    const { rows } = await this.sql.query<EscalationRow>(
      `SELECT ${ESCALATION_SELECT} FROM ${ESCALATIONS}
       ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
       ORDER BY created_at DESC, escalation_id DESC
       LIMIT ${bind(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last !== undefined ? encodeEscalationCursor({ createdAt: last.created_at, escalationId: last.escalation_id }) : null;
    return { items: page.map(escalationViewOf), nextCursor };
  }
}

export function escalationViewOf(row: EscalationRow): EscalationView {
  return {
    escalationId: row.escalation_id,
    accountId: row.account_id,
    accountName: row.account_name,
    managerId: row.manager_id,
    segment: row.segment,
    rule: row.rule as EscalationRule,
    reason: row.reason,
    severity: row.severity as Severity | null,
    status: row.status as EscalationStatus,
    triggeringEventId: row.triggering_event_id,
    dueAt: row.due_at,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgementNote: row.acknowledgement_note,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    position: row.position,
    updatedAt: row.updated_at,
  };
}
