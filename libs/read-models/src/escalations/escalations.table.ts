import type { ProjectionTable } from '@ahe/projections';
import { perTablePair, tuplesSql, type TupleColumns } from '../batch-sql';
import type { EscalationAccount } from './escalations.evolve';
import { upsertEscalationsSql } from './escalations.rows';

export const ESCALATIONS = 'escalations';
export const ESCALATION_ACCOUNTS = 'escalation_accounts';

/**
 * One row per escalation. Every list query reads newest first, so each index ends in
 * (created_at DESC, escalation_id DESC), the keyset the cursor walks; the account index also
 * serves the projection's load of an account's rows. Ids compare bytewise (COLLATE "C"), so
 * ties sort the same on every database.
 */
export const escalationsTable: ProjectionTable = {
  name: ESCALATIONS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      escalation_id text COLLATE "C" NOT NULL,
      account_id text NOT NULL,
      account_name text NOT NULL,
      manager_id text NOT NULL,
      segment text NOT NULL,
      rule text NOT NULL,
      reason text NOT NULL,
      severity text,
      due_at timestamptz,
      triggering_event_id text NOT NULL,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      opened_event_id text NOT NULL,
      acknowledged_at timestamptz,
      acknowledged_by text,
      acknowledgement_note text,
      resolved_at timestamptz,
      resolution text,
      updated_at timestamptz NOT NULL,
      position bigint NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (escalation_id),
      CONSTRAINT ${table}_status_check CHECK (status IN ('open', 'acknowledged', 'resolved'))
    );
    CREATE INDEX ${table}_created_idx ON ${table} (created_at DESC, escalation_id DESC);
    CREATE INDEX ${table}_status_idx ON ${table} (status, created_at DESC, escalation_id DESC);
    CREATE INDEX ${table}_account_idx ON ${table} (account_id, created_at DESC, escalation_id DESC);
    CREATE INDEX ${table}_manager_idx ON ${table} (manager_id, created_at DESC, escalation_id DESC);
  `,
};

/**
 * What an escalation row repeats about its account, for accounts that have none yet (an
 * EscalationOpened needs the name, manager and segment folded long before), and the stream
 * revision folded last: an event at or below it was already applied.
 */
export const escalationAccountsTable: ProjectionTable = {
  name: ESCALATION_ACCOUNTS,
  ddl: (table) => `
    CREATE TABLE ${table} (
      account_id text NOT NULL,
      name text NOT NULL,
      segment text NOT NULL,
      manager_id text NOT NULL,
      revision integer NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (account_id)
    );
  `,
};

export const ESCALATIONS_TABLES: readonly ProjectionTable[] = [escalationsTable, escalationAccountsTable];

export interface EscalationAccountRow {
  readonly account_id: string;
  readonly name: string;
  readonly segment: string;
  readonly manager_id: string;
  readonly revision: number;
}

const ACCOUNT_COLUMNS = { account_id: 'text', name: 'text', segment: 'text', manager_id: 'text', revision: 'integer' } as const satisfies TupleColumns;

/**
 * A batch's writes in one statement (one round trip): accounts with no stored row are plain
 * inserts (checking ON CONFLICT's arbiter index costs about a third of an insert, and a
 * rebuild meets almost every account for the first time), stored ones are replaced unless
 * already newer, and the escalations are upserted, their RETURNING answering the statement.
 * Parameters: the tuples of new accounts, of stored accounts (escalationAccountTuple), of escalations.
 */
export const writeEscalationsSql = perTablePair((accountsTable, escalationsTable) => {
  const columns = Object.keys(ACCOUNT_COLUMNS).join(', ');
  return `WITH new_accounts AS (
      INSERT INTO ${accountsTable} (${columns}) ${tuplesSql(ACCOUNT_COLUMNS, 1)}
    ), stored_accounts AS (
      INSERT INTO ${accountsTable} AS a (${columns}) ${tuplesSql(ACCOUNT_COLUMNS, 2)}
      ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, segment = excluded.segment,
        manager_id = excluded.manager_id, revision = excluded.revision
      WHERE a.revision < excluded.revision
    )
    ${upsertEscalationsSql(escalationsTable, 3)}`;
});

export const escalationAccountTuple = (row: EscalationAccountRow): unknown[] => [row.account_id, row.name, row.segment, row.manager_id, row.revision];

/** Only opened accounts are stored: an account without AccountOpened has nothing to repeat. */
export function escalationAccountRow(account: EscalationAccount): EscalationAccountRow | null {
  if (account.name === null || account.segment === null || account.managerId === null) return null;
  return { account_id: account.accountId, name: account.name, segment: account.segment, manager_id: account.managerId, revision: account.revision };
}
