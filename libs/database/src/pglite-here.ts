import { parse, PGlite, protocol, type Transaction } from '@electric-sql/pglite';
import { NamedStatements } from './pglite-named-statements';
import type { PgliteHandle, PgliteQueryOptions, PgliteSession } from './pglite-handle';

/**
 * PGlite on the calling thread. It runs every statement synchronously: while one runs, nothing
 * else in the process does (HTTP requests, projections' folds, timers). `image`: the tarball of a
 * new cluster to start a new database from.
 */
export async function pgliteHere(dataDir: string | null, image?: Uint8Array): Promise<PgliteHandle> {
  const options = image === undefined ? {} : { loadDataDir: new Blob([image]) };
  const db = dataDir === null ? await PGlite.create(options) : await PGlite.create(dataDir, options);
  const named = new NamedStatements(db, protocol.serialize, parse.parseResults);
  const session = (on: PGlite | Transaction): PgliteSession => ({
    query: async <Row>(text: string, params: readonly unknown[], options: PgliteQueryOptions = {}) => {
      const result = await named.run<Row>(on, text, params, options);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    },
    exec: async (script: string) => void (await on.exec(script)),
  });
  return {
    ...session(db),
    get closed() {
      return db.closed;
    },
    transaction: (work) => db.transaction((tx) => work(session(tx))),
    listen: async (channel, onNotify) => {
      const unlisten = await db.listen(channel, onNotify);
      return () => unlisten();
    },
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}
