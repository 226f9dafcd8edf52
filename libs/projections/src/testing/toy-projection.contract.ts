import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import { eventStoreOn, type EventEnvelope, type EventStore, type NewEvent } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ToyOptions {
  readonly name?: string;
  readonly table?: string;
  readonly version?: string;
  /** Events of this type write their row, then throw: they must be parked and their write undone. */
  readonly poison?: string;
  /** Called before each apply with the generation's physical table; may throw or wait (a slow projection). */
  readonly beforeApply?: (events: readonly EventEnvelope[], physical: string) => Promise<void>;
  /** Called after each apply has written its rows, inside its transaction; may throw (then nothing it wrote may remain). */
  readonly afterApply?: (events: readonly EventEnvelope[], physical: string, tx: SqlQueryable) => Promise<void>;
  readonly refresh?: ProjectionDefinition['refresh'];
  readonly batchSize?: number;
}

export interface StreamCount {
  readonly stream_id: string;
  readonly events: number;
  readonly last_revision: number;
}

/** Counts events per stream and keeps each stream's last revision: enough state to catch a lost, doubled or reordered event. */
export function toyProjection(options: ToyOptions = {}): ProjectionDefinition {
  const table = options.table ?? 'toy_counts';
  return {
    name: options.name ?? 'toy',
    version: options.version ?? 'v1',
    batchSize: options.batchSize,
    tables: [
      {
        name: table,
        ddl: (physical) => `CREATE TABLE ${physical} (stream_id text PRIMARY KEY, events integer NOT NULL, last_revision integer NOT NULL);
                            CREATE INDEX ${physical}_events_idx ON ${physical} (events)`,
      },
    ],
    refresh: options.refresh,
    async apply(events, context) {
      const physical = context.table(table);
      await options.beforeApply?.(events, physical);
      for (const event of events) {
        const { rows } = await context.tx.query<{ last_revision: number }>(`SELECT last_revision FROM ${physical} WHERE stream_id = $1`, [event.streamId]);
        if (rows[0] && rows[0].last_revision >= event.revision) throw new Error(`applied twice or out of order: ${event.streamId}@${event.revision}`);
        await context.tx.query(
          `INSERT INTO ${physical} AS t (stream_id, events, last_revision) VALUES ($1, 1, $2)
           ON CONFLICT (stream_id) DO UPDATE SET events = t.events + 1, last_revision = excluded.last_revision`,
          [event.streamId, event.revision],
        );
        if (event.type === options.poison) throw new Error(`cannot apply ${event.type} at ${event.streamId}@${event.revision}`);
      }
      await options.afterApply?.(events, physical, context.tx);
    },
  };
}

export function contact(summary = 'call'): NewEvent {
  return { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { summary } };
}

export function typed(type: string): NewEvent {
  return { type, schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: {} };
}

export async function readCounts(sql: SqlQueryable, table = 'toy_counts'): Promise<StreamCount[]> {
  const { rows } = await sql.query<StreamCount>(`SELECT stream_id, events, last_revision FROM ${table} ORDER BY stream_id`);
  return rows;
}

/** What the toy must hold after `appended` (stream → number of events), `parked` streams aside. */
export function expectedCounts(appended: ReadonlyMap<string, number>, skipped: ReadonlyMap<string, number> = new Map()): StreamCount[] {
  return [...appended.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([stream_id, count]) => ({ stream_id, events: count - (skipped.get(stream_id) ?? 0), last_revision: count - 1 }));
}

export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Backend {
  readonly label: string;
  /** A database + store; `second()` opens another client on the same database (PostgreSQL only). */
  open(): Promise<{ sql: SqlClient; store: EventStore; second?: () => Promise<SqlClient>; dispose(): Promise<void> }>;
}

export const BACKENDS: readonly Backend[] = [
  {
    label: 'PostgreSQL',
    async open() {
      const schema = `projections_${randomUUID().slice(0, 8)}`;
      const connect = () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 6 });
      const sql = await connect();
      const store = await eventStoreOn(sql);
      const extra: SqlClient[] = [];
      return {
        sql,
        store,
        second: async () => {
          const client = await connect();
          extra.push(client);
          return client;
        },
        async dispose() {
          await store.close();
          for (const client of extra) await client.close().catch(() => undefined);
          await sql.query(`DROP SCHEMA ${schema} CASCADE`);
          await sql.close();
        },
      };
    },
  },
  {
    label: 'embedded',
    async open() {
      const sql = await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY });
      const store = await eventStoreOn(sql);
      return {
        sql,
        store,
        async dispose() {
          await store.close();
          await sql.close();
        },
      };
    },
  },
];
