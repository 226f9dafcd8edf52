import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { SqlClient } from '@ahe/database';
import { GENESIS_HASH, sealBatch, SqlEventStore } from '@ahe/event-store';
import type { LoadResult } from './load-protocol';
import { latencies, type Latencies } from './measure';
import { openTarget, type StoreTarget } from './store-target';

const COLUMNS = 'stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata';
const INSERT_TEXT = `INSERT INTO bench_reference (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/** One loop's way to the reference table. */
interface ReferenceConnection {
  insert(values: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The least a command costs the database: prepared single-row INSERTs into a copy of the events
 * table, in autocommit, each its own transaction. On PostgreSQL each loop has a connection of its
 * own; PGlite has one connection, which the loops share (it runs one statement at a time).
 */
export class InsertReference {
  private constructor(
    /** A loop's connection: its own on PostgreSQL, PGlite's one shared by every loop. */
    private readonly connect: () => Promise<ReferenceConnection>,
    private readonly shared: SqlClient | null,
  ) {}

  static async open(target: StoreTarget): Promise<InsertReference> {
    const sql = await openTarget(target, 1);
    try {
      await SqlEventStore.open(sql);
      await sql.exec('CREATE TABLE bench_reference (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)');
    } catch (error) {
      await sql.close();
      throw error;
    }
    if (target.kind === 'embedded') {
      const connection: ReferenceConnection = { insert: async (values) => void (await sql.query(INSERT_TEXT, values)), close: async () => undefined };
      return new InsertReference(async () => connection, sql);
    }
    await sql.close();
    return new InsertReference(async () => {
      const client = new Client({ connectionString: target.databaseUrl, options: `-c search_path=${target.schema}` });
      await client.connect();
      return { insert: async (values) => void (await client.query({ name: 'bench_single_insert', text: INSERT_TEXT, values })), close: () => client.end() };
    }, null);
  }

  describe(connections: number): string {
    return this.shared ? `${connections} loops on PGlite's one connection` : `${connections} connections`;
  }

  /** `connections` loops of INSERTs for `seconds`. */
  async run(connections: number, seconds: number): Promise<LoadResult> {
    const samples: number[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, async () => {
      const connection = await this.connect();
      try {
        const stream = `account-reference-${randomUUID()}`;
        const [template] = sealBatch(stream, { revision: -1, hash: GENESIS_HASH }, [{
          type: 'ContactLogged', schemaVersion: 1, occurredAt: new Date(),
          data: { channel: 'call', direction: 'outbound', summary: 'Quarterly business review', sentiment: 0.4 },
          metadata: { correlationId: randomUUID(), actor: 'writer:0123456789ab' },
        }], new Date());
        const data = JSON.stringify(template!.data);
        const metadata = JSON.stringify(template!.metadata);
        for (let revision = 0; performance.now() < deadline; revision++) {
          const before = performance.now();
          await connection.insert([stream, revision, randomUUID(), template!.type, template!.schemaVersion, template!.occurredAt, new Date().toISOString(), data, metadata]);
          samples.push(performance.now() - before);
        }
      } finally {
        await connection.close();
      }
    }));
    const latency: Latencies = latencies(samples);
    return { rate: samples.length / ((performance.now() - started) / 1000), latency, failures: 0 };
  }

  async close(): Promise<void> {
    await this.shared?.close();
  }
}
