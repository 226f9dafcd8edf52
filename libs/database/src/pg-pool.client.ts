import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { AdvisoryLease } from './advisory-lease';
import { InFlight } from './in-flight';
import { ConnectionLostError, describeCause } from './connection-lost.error';
import { CONNECTION_LIFETIME_S, connectionLifetime } from './connection-lifetime';
import { typedPoolTimeout } from './database-unavailable';
import { PgAdvisoryLocks } from './pg-advisory-locks';
import { PipelinedCopyIn } from './pg-copy-in';
import { PgListener } from './pg-listener';
import type { SqlClient, SqlTransaction } from './sql-client';

export interface PgPoolOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  /** Tables are created and read in this schema (search_path); handy for isolated tests. */
  readonly schema?: string;
  /** Told of every connection the server or the network ended; default console.warn. */
  readonly onError?: (error: Error) => void;
  /** A connection is replaced once this old, when next idle; default CONNECTION_LIFETIME_S. */
  readonly connectionLifetimeSeconds?: number;
  /**
   * How long opening a connection, or waiting for one of the pool's, may take before the
   * statement fails with DatabaseTimeoutError; default CONNECT_TIMEOUT_MS.
   */
  readonly connectTimeoutMs?: number;
}

const IDLE_IN_TRANSACTION_MS = 60_000;
/**
 * Without one, node-postgres waits for ever on a server that accepts TCP and never answers (a
 * frozen host, a proxy whose upstream is gone): start-up would hang in silence, and every
 * request would queue behind the pool's connections with it.
 */
export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Probe an idle connection after this long rather than the OS default of two hours, so that a
 * host gone without a reset is noticed while the connection waits in the pool or on the lock.
 */
const KEEPALIVE_DELAY_MS = 10_000;
export class PgPoolClient implements SqlClient {
  readonly kind = 'postgres';
  private readonly pool: Pool;
  private readonly config: PoolConfig;
  private readonly locks: PgAdvisoryLocks;
  private readonly notifications: PgListener;
  private closed = false;
  /** Queries, scripts and transactions asked for and not yet settled: close() lets them finish. */
  private readonly working = new InFlight();
  private readonly connectTimeoutMs: number;

  constructor(private readonly options: PgPoolOptions) {
    const max = options.poolSize ?? 10;
    const lifetimeSeconds = options.connectionLifetimeSeconds ?? CONNECTION_LIFETIME_S;
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.config = {
      connectionString: options.connectionString,
      max,
      // A connection once opened is kept until its lifetime is over, not closed after 10 s idle
      // (pg-pool's default): a pool that shrank between bursts grew again inside the next one,
      // and the requests waiting on the new connections' first statements (connect, catalog
      // caches, planning) made the tail of every read route (GET /v1/health p99 45-480 ms
      // against 10-15 ms with the pool kept; docs/benchmarks-journal.md). A fixed-size pool once grown.
      min: max,
      // A transaction of ours left open would hold back every reader of the global log (ADR 0002).
      options: [`-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`, ...(options.schema ? [`-c search_path=${options.schema}`] : [])].join(' '),
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      connectionTimeoutMillis: this.connectTimeoutMs,
      maxLifetimeSeconds: lifetimeSeconds,
      // pg-pool (3.14) reads maxLifetimeSeconds when it arms a new connection's timer, just after
      // this hook: each connection gets a lifetime of its own (LIFETIME_SPREAD). A pg-pool that
      // read it once would only lose the spread, not the lifetime.
      onConnect: () => {
        (this.pool as unknown as { options: { maxLifetimeSeconds: number } }).options.maxLifetimeSeconds = connectionLifetime(lifetimeSeconds);
      },
    };
    this.pool = new Pool(this.config);
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', (error) => this.onError(error));
    const { connectionString, options: startup, keepAlive, keepAliveInitialDelayMillis, connectionTimeoutMillis } = this.config;
    this.locks = new PgAdvisoryLocks({ connectionString, options: startup, keepAlive, keepAliveInitialDelayMillis, connectionTimeoutMillis }, (error) => this.onError(error));
    this.notifications = new PgListener(this.config, (error) => this.onError(error));
  }

  query<Row>(text: string, params: readonly unknown[] = [], name?: string): Promise<{ rows: Row[] }> {
    return this.tracked(() => run<Row>(this.pool, text, params, name));
  }

  exec(script: string): Promise<void> {
    return this.tracked(async () => void (await this.pool.query(script)));
  }

  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.tracked(() => this.inTransaction(work));
  }

  /**
   * Starts `work` unless close() has begun, and keeps it until it settles. pg-pool never answers
   * a query asked for in the same turn as its end() while it has an idle connection (the request
   * waits for a pulse that end() turns into closing the idle connections), so close() waits for
   * what was asked before it, and what is asked after it is refused at once.
   */
  private tracked<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the PostgreSQL client is closed: close() was called before this statement'));
    return this.working.add(
      work().catch((error: unknown) => {
        throw typedPoolTimeout(error, this.connectTimeoutMs, this.config.max ?? 10);
      }),
    );
  }

  private async inTransaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no listener of the pool's: without ours, the server ending the
    // connection (idle-in-transaction timeout, pg_terminate_backend) would crash the process.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      if (lost === undefined) this.onError(error);
      lost ??= error;
    };
    client.on('error', onLost);
    const guarded = async <R>(step: () => Promise<R>): Promise<R> => {
      if (lost !== undefined) throw new ConnectionLostError(lost);
      try {
        return await step();
      } catch (error) {
        throw lost !== undefined ? new ConnectionLostError(lost) : error;
      }
    };
    // Statements the work sends without waiting for the one before (a batch written in parts,
    // an import's windows) go to the connection one at a time, each once the one before has
    // answered: node-postgres queued them itself, but that is deprecated (gone in pg 9) and
    // warns. One sent while none is in flight goes out at once, as the driver sent it: callers
    // send a statement and go on working (an import validates its next window meanwhile).
    let inFlight = 0;
    let previous: Promise<unknown> = Promise.resolve();
    const inTurn = <R>(step: () => Promise<R>): Promise<R> => {
      const next = inFlight === 0 ? step() : previous.then(step);
      inFlight++;
      previous = next.then(
        () => void inFlight--,
        () => void inFlight--,
      );
      return next;
    };
    let healthy = true;
    try {
      await guarded(() => client.query('BEGIN'));
      const result = await work({
        query: <Row>(text: string, params: readonly unknown[] = [], name?: string) => inTurn(() => guarded(() => run<Row>(client, text, params, name))),
        exec: (script: string) => inTurn(() => guarded(async () => void (await client.query(script)))),
        copyRows: (table: string, columns: string, rows: string) =>
          inTurn(() => guarded(() => client.query(new PipelinedCopyIn(`COPY ${table} (${columns}) FROM STDIN`, rows)).done)),
      });
      await inTurn(() => guarded(() => client.query('COMMIT')));
      return result;
    } catch (error) {
      if (lost === undefined) await inTurn(() => client.query('ROLLBACK')).catch(() => (healthy = false));
      throw lost !== undefined && !(error instanceof ConnectionLostError) ? new ConnectionLostError(lost) : error;
    } finally {
      client.removeListener('error', onLost);
      // A lost connection is destroyed, not handed to the next caller.
      client.release(lost ?? !healthy);
    }
  }

  /** The pool's connections right now: opened (idle and checked out), idle, and callers waiting for one. */
  get connections(): { readonly total: number; readonly idle: number; readonly waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.notifications.listen(channel, onNotify);
  }

  tryAdvisoryLock(key: bigint): Promise<AdvisoryLease | null> {
    return this.locks.tryLock(key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The listener first: a wake-up after this would send its subscriber to a client that refuses it.
    await this.notifications.close();
    await this.working.settled();
    await this.locks.close();
    await this.pool.end();
  }

  /** A connection the server ended is reported, never thrown from an event emitter. */
  private onError(error: Error): void {
    if (this.options.onError) this.options.onError(error);
    else console.warn(`PostgreSQL connection lost: ${describeCause(error)}`);
  }
}

async function run<Row>(target: Pool | PoolClient, text: string, params: readonly unknown[], name?: string): Promise<{ rows: Row[] }> {
  const result = await target.query({ text, values: params as unknown[], ...(name ? { name } : {}) });
  return { rows: result.rows as Row[] };
}
