import { Client, type ClientConfig } from 'pg';
import { typedConnectTimeout } from './database-unavailable';
import { quoteIdentifier } from './sql-client';

const RELISTEN_DELAY_MS = 1000;

type Callbacks = Set<(payload: string) => void>;

/**
 * LISTEN/NOTIFY for a pool client, on one dedicated connection that carries every channel:
 * pooled connections are shared and recycled, and a LISTEN on one would be lost with it. When
 * that connection is lost it reconnects, listens again, and wakes every callback, since the
 * notifications sent meanwhile are gone.
 */
export class PgListener {
  private connection?: Promise<Client>;
  private readonly channels = new Map<string, Callbacks>();
  /** LISTENs sent and not yet answered, by channel. */
  private readonly listening = new Map<string, Promise<Callbacks>>();
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly onError: (error: Error) => void,
  ) {}

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the PostgreSQL client is closed: close() was called before this LISTEN');
    const callbacks = this.channels.get(channel) ?? (await this.listenOnce(channel));
    callbacks.add(onNotify);
    return async () => {
      callbacks.delete(onNotify);
    };
  }

  /** Ends the connection: nothing is delivered, reconnected or listened to after this. */
  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await connection.then((client) => client.end()).catch(() => undefined);
  }

  /**
   * The first listener of a channel sends its LISTEN; others asking meanwhile wait for that one
   * instead of sending their own on the same connection (several subscriptions start at once),
   * which node-postgres would queue (deprecated, gone in pg 9). Registered only once LISTEN has
   * worked, so a failed attempt is tried again by the next listener.
   */
  private listenOnce(channel: string): Promise<Callbacks> {
    let pending = this.listening.get(channel);
    if (!pending) {
      pending = (async () => {
        const client = await this.connect();
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        const callbacks = this.channels.get(channel) ?? new Set();
        this.channels.set(channel, callbacks);
        return callbacks;
      })();
      const settled = pending;
      this.listening.set(channel, settled);
      void settled.then(
        () => this.listening.delete(channel),
        () => this.listening.delete(channel),
      );
    }
    return pending;
  }

  private connect(): Promise<Client> {
    if (!this.connection) {
      const client = new Client(this.config);
      client.on('notification', (message) => {
        for (const callback of this.channels.get(message.channel) ?? []) callback(message.payload ?? '');
      });
      client.on('error', (error) => {
        this.onError(error);
        this.connection = undefined;
        client.end().catch(() => undefined);
        setTimeout(() => void this.relisten(), RELISTEN_DELAY_MS).unref();
      });
      this.connection = client.connect().then(
        () => client,
        (error: unknown) => {
          throw typedConnectTimeout(error, this.config.connectionTimeoutMillis ?? 0, 'LISTEN');
        },
      );
      this.connection.catch(() => (this.connection = undefined));
    }
    return this.connection;
  }

  private async relisten(): Promise<void> {
    if (this.closed || this.channels.size === 0) return;
    try {
      const client = await this.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      // Wake everyone: notifications sent while disconnected are gone.
      for (const callbacks of this.channels.values()) for (const callback of callbacks) callback('');
    } catch (error) {
      this.onError(error as Error);
      setTimeout(() => void this.relisten(), RELISTEN_DELAY_MS).unref();
    }
  }
}
