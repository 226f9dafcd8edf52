import { connect, createServer, type Server } from 'node:net';
import { OpenSockets } from './freezable-proxy';

/** PostgreSQL's simple-protocol Query message for `COMMIT`, as node-postgres sends it to end a transaction. */
const COMMIT_MESSAGE = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('COMMIT\0')]);
/** The server's ReadyForQuery message: sent once the statement and its transaction are done with. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

/**
 * How the next commit is lost: `reply`, the server gets it and commits, and the client's
 * connection is cut before the answer reaches it (it cannot know the transaction committed);
 * `request`, both connections are cut before the server gets it (the transaction rolls back).
 */
export type LostCommit = 'reply' | 'request';

/**
 * A TCP proxy in front of PostgreSQL that can lose the next commit on whichever connection sends
 * it: a transaction's `COMMIT`, or a named prepared statement, which commits on its own.
 */
export interface LostCommitProxy {
  readonly port: number;
  /** `statement`: `COMMIT`, or the name of a prepared statement, whose next run is lost. */
  loseNext(how: LostCommit, statement?: string): void;
  /** Resolves once the armed COMMIT has been lost. */
  lost(): Promise<void>;
  close(): Promise<void>;
}

export async function lostCommitProxy(target: { readonly host: string; readonly port: number }): Promise<LostCommitProxy> {
  let armed: LostCommit | undefined;
  let marker = COMMIT_MESSAGE;
  let signalLost = (): void => undefined;
  let lost = Promise.resolve();
  const sockets = new OpenSockets();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.track(client);
    sockets.track(upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      const how = armed !== undefined && chunk.includes(marker) ? armed : undefined;
      if (how === undefined) {
        upstream.write(chunk);
        return;
      }
      armed = undefined;
      if (how === 'request') {
        upstream.destroy();
        client.destroy();
        signalLost();
        return;
      }
      // Cut once the server is ready for the next query: it has committed, and the client never hears so.
      upstream.unpipe(client);
      const untilReady = (reply: Buffer) => {
        if (!reply.includes(READY_FOR_QUERY)) return;
        upstream.off('data', untilReady);
        upstream.end();
        client.destroy();
        signalLost();
      };
      // Unpiped, the stream stands paused: a listener alone would not make it flow again.
      upstream.on('data', untilReady).resume();
      upstream.write(chunk);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    loseNext(how, statement = 'COMMIT') {
      armed = how;
      // A run of a named statement sends its name, ended by a zero byte, in its Bind message.
      marker = statement === 'COMMIT' ? COMMIT_MESSAGE : Buffer.from(`${statement}\0`);
      lost = new Promise((resolve) => (signalLost = resolve));
    },
    lost: () => lost,
    async close() {
      sockets.destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
