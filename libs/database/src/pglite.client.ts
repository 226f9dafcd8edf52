import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InProcessAdvisoryLocks, type AdvisoryLease } from './advisory-lease';
import { DataDirLock } from './data-dir-lock';
import { ClusterImages, clusterImages } from './pglite-cluster-image';
import type { PgliteHandle, PgliteThreading } from './pglite-handle';
import { pgliteHere } from './pglite-here';
import { PgliteThread } from './pglite-thread';
import type { SqlClient, SqlTransaction } from './sql-client';

/** Folder that holds the embedded database; ':memory:' keeps it in memory (tests, demos). */
export const IN_MEMORY = ':memory:';

type Warn = (message: string) => void;
const defaultWarn: Warn = (message) => console.warn(message);

/** Where PGlite keeps the PostgreSQL cluster of a data folder. */
const clusterFolderIn = (dataDir: string): string => join(resolve(dataDir), 'pglite');

/** Whether `dataDir` already holds an embedded store (a cluster PostgreSQL has initialised), without opening or creating it. */
export function embeddedStoreExists(dataDir: string): boolean {
  return existsSync(join(clusterFolderIn(dataDir), 'PG_VERSION'));
}

/**
 * PostgreSQL compiled to WebAssembly, in process. One connection: PGlite queues queries and
 * transactions itself, so concurrent callers are serialised rather than interleaved — and a
 * query on the client from inside one of its own transactions would wait for ever. That
 * mistake is refused at once instead.
 */
export class PgliteClient implements SqlClient {
  readonly kind = 'embedded';
  /**
   * The transaction the caller's async context was started in, open until it ends. Work the
   * transaction starts without awaiting (a timer, a background fit that wakes its owner later)
   * inherits the context: once the transaction has ended, its queries wait for nothing and go.
   */
  private readonly insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
  private readonly locks = new InProcessAdvisoryLocks();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly db: PgliteHandle,
    private readonly lock?: DataDirLock,
  ) {}

  /**
   * `threading`: where PGlite runs (pglite-thread.ts); by default on a worker thread of its own.
   * `images`: where a new database's cluster comes from (pglite-cluster-image.ts).
   * `warn`: told when the opening had to work around a fault (an image that did not start).
   */
  static async open(dataDir: string, threading: PgliteThreading = 'worker', images = clusterImages, warn: Warn = defaultWarn): Promise<PgliteClient> {
    if (dataDir === IN_MEMORY) return new PgliteClient(await openPglite(null, threading, images, warn));
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    const lock = DataDirLock.acquire(join(root, 'pglite.lock'), root);
    const opening = openPglite(clusterFolderIn(root), threading, images, warn).then((db) => new PgliteClient(db, lock));
    lock.closesWith(() => opening.then((client) => client.close(), () => undefined));
    try {
      return await opening;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  async query<Row>(text: string, params: readonly unknown[] = [], name?: string): Promise<{ rows: Row[] }> {
    this.refuseInsideTransaction();
    this.refuseOnceClosing();
    const result = await this.db.query<Row>(text, params, { name });
    return { rows: result.rows };
  }

  async exec(script: string): Promise<void> {
    this.refuseInsideTransaction();
    this.refuseOnceClosing();
    await this.db.exec(script);
  }

  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction();
    this.refuseOnceClosing();
    return this.db.transaction((tx) => {
      const transaction = { open: true };
      return this.insideTransaction.run(transaction, () =>
        work({
          query: async <Row>(text: string, params: readonly unknown[] = [], name?: string) => ({
            rows: (await tx.query<Row>(text, params, { name })).rows,
          }),
          exec: (script: string) => tx.exec(script),
          // PGlite reads COPY input from a blob given with the statement.
          copyRows: async (table: string, columns: string, rows: string) =>
            (await tx.query(`COPY ${table} (${columns}) FROM '/dev/blob'`, [], { copy: rows })).affectedRows,
        }).finally(() => {
          transaction.open = false;
        }),
      );
    });
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  async tryAdvisoryLock(key: bigint): Promise<AdvisoryLease | null> {
    if (this.db.closed) throw new Error('the embedded database is closed');
    return this.locks.tryLock(key);
  }

  /** Closes once: a second call, even while the first runs, shares its outcome. */
  close(): Promise<void> {
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    this.locks.loseAll();
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }

  /** Statements sent while the database closes would reach a half-closed PGlite (on the main thread, an obscure TypeError). */
  private refuseOnceClosing(): void {
    if (this.closing) throw new Error('the embedded database is closed');
  }

  private refuseInsideTransaction(): void {
    if (this.insideTransaction.getStore()?.open) {
      throw new Error('a query on the embedded database from inside one of its own transactions would deadlock: use the transaction’s queryable');
    }
  }
}

/**
 * `dataDir` null keeps the database in memory. A new database (in memory, or a folder that does
 * not exist yet) starts from the image of a new cluster (pglite-cluster-image.ts) where there is
 * one. If it cannot, the image may be at fault or not: what it left is removed and the database
 * is made by initdb; the image is dropped only when that succeeds.
 */
async function openPglite(dataDir: string | null, threading: PgliteThreading, images: ClusterImages, warn: Warn): Promise<PgliteHandle> {
  const open = (image?: Uint8Array) => (threading === 'worker' ? PgliteThread.open(dataDir, image) : pgliteHere(dataDir, image));
  const isNew = dataDir === null || !existsSync(dataDir);
  const image = isNew ? await images.image().catch(() => undefined) : undefined;
  if (image === undefined) return open();
  try {
    return await open(image);
  } catch (error) {
    if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
    const db = await open();
    images.discard();
    warn(`the embedded database did not start from the image of a new cluster (${error instanceof Error ? error.message : String(error)}); initdb made it, and the image is removed`);
    return db;
  }
}
