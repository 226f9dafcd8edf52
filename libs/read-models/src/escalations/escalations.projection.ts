import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import type { SqlQueryable } from '@ahe/database';
import { groupByAccount } from '../account-streams';
import { statementName } from '../batch-sql';
import {
  changedEscalations,
  ESCALATION_MODEL_EVENTS,
  evolveEscalationAccount,
  initialEscalationAccount,
  type Escalation,
  type EscalationAccount,
} from './escalations.evolve';
import { escalationOf, escalationTuple, selectAccountDocumentsSql, type AccountDocumentRow } from './escalations.rows';
import { ESCALATION_ACCOUNTS, escalationAccountRow, escalationAccountTuple, ESCALATIONS, ESCALATIONS_TABLES, writeEscalationsSql } from './escalations.table';

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
 * escalations and escalation_accounts: per batch one read of the documents of the accounts
 * whose events concern escalations, and one statement writing both tables, however many
 * events the batch holds.
 */
export function escalationsProjection(): ProjectionDefinition {
  return { name: ESCALATIONS, version: VERSION, readsMetadata: false, tables: ESCALATIONS_TABLES, apply: applyBatch };
}

async function applyBatch(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events.filter((envelope) => ESCALATION_MODEL_EVENTS.has(envelope.type)));
  if (byAccount.size === 0) return;
  const accountsTable = context.table(ESCALATION_ACCOUNTS);
  const escalationsTable = context.table(ESCALATIONS);
  const stored = await loadAccounts(context.tx, selectAccountDocumentsSql(accountsTable, escalationsTable), statementName('read', escalationsTable), [...byAccount.keys()]);

  const newAccounts: unknown[][] = [];
  const storedAccounts: unknown[][] = [];
  const escalations: Escalation[] = [];
  for (const [accountId, envelopes] of byAccount) {
    const known = stored.get(accountId);
    const before = known ?? initialEscalationAccount(accountId);
    const after = envelopes.reduce(evolveEscalationAccount, before);
    if (after === before) continue;
    const row = escalationAccountRow(after);
    if (row !== null) (known === undefined ? newAccounts : storedAccounts).push(escalationAccountTuple(row));
    escalations.push(...changedEscalations(before, after));
  }
  if (newAccounts.length + storedAccounts.length + escalations.length === 0) return;

  const ids = escalations.map((escalation) => escalation.escalationId);
  const seen = new Set<string>();
  const twice = new Set(ids.filter((id) => seen.size === seen.add(id).size));
  if (twice.size > 0) throw new EscalationIdClashError([...twice]);
  const params = [newAccounts, storedAccounts, escalations.map(escalationTuple)].map((tuples) => JSON.stringify(tuples));
  const write = writeEscalationsSql(accountsTable, escalationsTable);
  const { rows } = await context.tx.query<{ escalation_id: string }>(write, params, statementName('write', escalationsTable));
  if (rows.length < ids.length) {
    const written = new Set(rows.map((row) => row.escalation_id));
    throw new EscalationIdClashError(ids.filter((id) => !written.has(id)));
  }
}

/** The touched accounts' stored documents: their lookup row and every escalation of theirs. */
async function loadAccounts(tx: SqlQueryable, sql: string, name: string, accountIds: readonly string[]): Promise<Map<string, EscalationAccount>> {
  const { rows } = await tx.query<AccountDocumentRow>(sql, [accountIds], name);
  const accounts = new Map<string, EscalationAccount & { escalations: Record<string, Escalation> }>();
  for (const row of rows) {
    let account = accounts.get(row.doc_account_id);
    if (account === undefined) {
      account = { accountId: row.doc_account_id, name: row.doc_name, segment: row.doc_segment, managerId: row.doc_manager_id, revision: row.doc_revision, escalations: {} };
      accounts.set(row.doc_account_id, account);
    }
    if (row.escalation_id !== null) account.escalations[row.escalation_id] = escalationOf(row);
  }
  return accounts;
}
