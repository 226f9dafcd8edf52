import { Client, type ClientConfig } from 'pg';
import { Lease, type AdvisoryLease } from './advisory-lease';
import { typedConnectTimeout } from './database-unavailable';

/**
 * Session advisory locks on one dedicated connection per pool client: pooled connections are
 * shared and recycled, and a session lock taken on one would be freed, or inherited by a
 * stranger, at the pool's whim. When that connection ends every lease on it is lost (the
 * server has freed the locks); the next tryLock opens a new one.
 */
export class PgAdvisoryLocks {
  private session?: Promise<Client>;
  /** Keys granted or being asked for on this client: a session may re-enter its own lock, we must not. */
  private readonly leases = new Map<bigint, Lease | 'pending'>();
  private closed = false;
  /**
   * Queries on the session run one at a time: several leases are asked for at once (an engine
   * starting its projections), and node-postgres's own queueing of concurrent queries on one
   * client is deprecated (gone in pg 9).
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: ClientConfig,
    private readonly onError?: (error: Error) => void,
  ) {}

  async tryLock(key: bigint): Promise<AdvisoryLease | null> {
    if (this.closed) throw new Error('the database client is closed');
    if (this.leases.has(key)) return null;
    this.leases.set(key, 'pending');
    try {
      const client = await this.connect();
      const { rows } = await this.serially(() => client.query<{ granted: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS granted', [key.toString()]));
      if (!rows[0]!.granted) {
        this.leases.delete(key);
        return null;
      }
      const lease = new Lease(key, {
        unlock: (unlocked) => this.unlock(client, unlocked),
        ping: (timeoutMs) => this.ping(client, timeoutMs),
        forget: (ended) => {
          if (this.leases.get(key) === ended) this.leases.delete(key);
        },
      });
      this.leases.set(key, lease);
      // The connection may have died while we were asking; then the lock is already gone.
      if (this.session === undefined) lease.markLost();
      return lease;
    } catch (error) {
      this.leases.delete(key);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.dropSession();
    if (session) await session.then((client) => client.end()).catch(() => undefined);
  }

  private connect(): Promise<Client> {
    if (!this.session) {
      const client = new Client(this.config);
      const session = client.connect().then(
        () => client,
        (error: unknown) => {
          throw typedConnectTimeout(error, this.config.connectionTimeoutMillis ?? 0, 'advisory locks');
        },
      );
      this.session = session;
      const lost = (error?: Error) => {
        if (error) this.onError?.(error);
        if (this.session !== session) return;
        this.dropSession();
        client.end().catch(() => undefined);
      };
      client.on('error', lost);
      client.on('end', () => lost());
      session.catch(() => {
        if (this.session === session) this.session = undefined;
      });
    }
    return this.session;
  }

  private serially<T>(query: () => Promise<T>): Promise<T> {
    const result = this.queue.then(query, query);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private dropSession(): void {
    this.session = undefined;
    // A query stuck on the dead connection must not hold back the next session's.
    this.queue = Promise.resolve();
    for (const lease of [...this.leases.values()]) if (lease !== 'pending') lease.markLost();
  }

  private async unlock(client: Client, key: bigint): Promise<void> {
    if (this.session === undefined) return;
    await this.serially(() => client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]));
  }

  private async ping(client: Client, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answered = this.serially(() => client.query('SELECT 1')).then(() => true, () => false);
    const alive = await Promise.race([answered, timeout]).finally(() => clearTimeout(timer));
    if (!alive && this.session !== undefined && (await this.session.catch(() => undefined)) === client) {
      this.dropSession();
      client.end().catch(() => undefined);
    }
    return alive;
  }
}
