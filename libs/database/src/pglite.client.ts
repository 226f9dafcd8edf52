import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable } from './sql-client';

/** Folder that holds the embedded database; ':memory:' keeps it in memory (tests, demos). */
export const IN_MEMORY = ':memory:';

/**
 * PostgreSQL compiled to WebAssembly, in process. One connection: PGlite queues queries and
 * transactions itself, so concurrent callers are serialised rather than interleaved.
 */
export class PgliteClient implements SqlClient {
  readonly kind = 'embedded';

  private constructor(private readonly db: PGlite) {}

  static async open(dataDir: string): Promise<PgliteClient> {
    if (dataDir === IN_MEMORY) return new PgliteClient(await PGlite.create());
    const folder = resolve(dataDir, 'pglite');
    mkdirSync(folder, { recursive: true });
    return new PgliteClient(await PGlite.create(join(folder)));
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<{ rows: Row[] }> {
    const result = await this.db.query<Row>(text, params as unknown[]);
    return { rows: result.rows };
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        query: async <Row>(text: string, params: readonly unknown[] = []) => ({
          rows: (await tx.query<Row>(text, params as unknown[])).rows,
        }),
        exec: async (script: string) => void (await tx.exec(script)),
      }),
    );
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.db.listen(channel, onNotify);
    return () => unlisten();
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
