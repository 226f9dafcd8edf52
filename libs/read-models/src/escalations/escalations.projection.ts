import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import type { SqlQueryable } from '@ahe/database';
import { groupByAccount } from '../account-streams';
import {
  changedEscalations,
  ESCALATION_MODEL_EVENTS,
  evolveEscalationAccount,
  initialEscalationAccount,
  type Escalation,
  type EscalationAccount,
} from './escalations.evolve';
import { escalationOf, escalationRow, selectAccountEscalationsSql, upsertEscalationsSql, type EscalationRow } from './escalations.rows';
import {
  ESCALATION_ACCOUNTS,
  escalationAccountRow,
  ESCALATIONS,
  ESCALATIONS_TABLES,
  selectEscalationAccountsSql,
  upsertEscalationAccountsSql,
  type EscalationAccountRow,
} from './escalations.table';

/** Bump when the code or the tables change the rows the same events produce. */
const VERSION = 'escalations.v1';

/** Two accounts opened the same escalation id; the second is refused (and parked by the engine). */
export class EscalationIdClashError extends Error {
  override readonly name = 'EscalationIdClashError';

  constructor(escalationIds: readonly string[]) {
    super(`escalation ${escalationIds.join(', ')} already belongs to another account: an escalation id names one escalation of one account`);
  }
}

/**
 * escalations and escalation_accounts: per batch one read of each for the accounts whose
 * events concern escalations, and one statement per table, however many events the batch holds.
 */
export function escalationsProjection(): ProjectionDefinition {
  return { name: ESCALATIONS, version: VERSION, tables: ESCALATIONS_TABLES, apply: applyBatch };
}

async function applyBatch(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events.filter((envelope) => ESCALATION_MODEL_EVENTS.has(envelope.type)));
  if (byAccount.size === 0) return;
  const stored = await loadAccounts(context, [...byAccount.keys()]);

  const accounts: EscalationAccountRow[] = [];
  const escalations: Escalation[] = [];
  for (const [accountId, envelopes] of byAccount) {
    const before = stored.get(accountId) ?? initialEscalationAccount(accountId);
    const after = envelopes.reduce(evolveEscalationAccount, before);
    if (after === before) continue;
    const row = escalationAccountRow(after);
    if (row !== null) accounts.push(row);
    escalations.push(...changedEscalations(before, after));
  }

  if (accounts.length > 0) {
    await context.tx.query(upsertEscalationAccountsSql(context.table(ESCALATION_ACCOUNTS)), [JSON.stringify(accounts)]);
  }
  await writeEscalations(context.tx, context.table(ESCALATIONS), escalations);
}

/** The touched accounts' documents: their lookup row and every escalation of theirs. */
async function loadAccounts(context: ProjectionContext, accountIds: readonly string[]): Promise<Map<string, EscalationAccount>> {
  const accounts = await context.tx.query<EscalationAccountRow>(selectEscalationAccountsSql(context.table(ESCALATION_ACCOUNTS)), [accountIds]);
  const rows = await context.tx.query<EscalationRow>(selectAccountEscalationsSql(context.table(ESCALATIONS)), [accountIds]);
  const escalationsOf = new Map<string, Record<string, Escalation>>();
  for (const row of rows.rows) {
    const escalations = escalationsOf.get(row.account_id) ?? {};
    escalations[row.escalation_id] = escalationOf(row);
    escalationsOf.set(row.account_id, escalations);
  }
  return new Map(
    accounts.rows.map((row) => [
      row.account_id,
      { accountId: row.account_id, name: row.name, segment: row.segment, managerId: row.manager_id, revision: row.revision, escalations: escalationsOf.get(row.account_id) ?? {} },
    ]),
  );
}

async function writeEscalations(tx: SqlQueryable, table: string, escalations: readonly Escalation[]): Promise<void> {
  if (escalations.length === 0) return;
  const ids = escalations.map((escalation) => escalation.escalationId);
  const seen = new Set<string>();
  const twice = new Set(ids.filter((id) => seen.size === seen.add(id).size));
  if (twice.size > 0) throw new EscalationIdClashError([...twice]);
  const { rows } = await tx.query<{ escalation_id: string }>(upsertEscalationsSql(table), [JSON.stringify(escalations.map(escalationRow))]);
  if (rows.length < ids.length) {
    const written = new Set(rows.map((row) => row.escalation_id));
    throw new EscalationIdClashError(ids.filter((id) => !written.has(id)));
  }
}
