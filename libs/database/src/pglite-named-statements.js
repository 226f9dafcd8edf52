// Named statements on the embedded database's thread (pglite-thread.worker.js). Plain JavaScript
// for the same reason as the worker: it runs from the source tree and from dist/ alike.
'use strict';

/**
 * How long the prepared statements live before they are all closed and prepared again on their
 * next use, as a pooled PostgreSQL connection's do (pg-pool.client.ts, CONNECTION_LIFETIME_S).
 * PostgreSQL keeps a statement's generic plan until an ANALYZE or a DDL of its tables, and the
 * embedded store runs no autovacuum: a plan made while a table was nearly empty (a sequential
 * scan) would otherwise outlive the table's growth for the process's whole life. Closing them
 * also drops the statements of generations since dropped, which nothing uses again.
 */
const STATEMENT_LIFETIME_MS = 600_000;

/**
 * The statements a caller names, as it names them for PostgreSQL (SqlQueryable.query's `name`),
 * parsed, analysed and described once, then only bound and executed. PGlite's own `query` sends
 * every statement unnamed, so PostgreSQL parsed and planned it at every call, on the one thread
 * that runs every statement of the process (docs/benchmarks.md, the embedded store). A named
 * statement keeps its plan in PostgreSQL's plan cache, which plans it again when a table or
 * view it reads changes, as on a PostgreSQL connection.
 *
 * Prepared statements belong to the session, not to a transaction: one prepared inside a
 * transaction that rolls back stays prepared. Each call takes PGlite's query lock, and, outside
 * a transaction, its transaction lock first, as PGlite's `query` does.
 */
class NamedStatements {
  /**
   * @param db the PGlite instance
   * @param serialize PGlite's `protocol.serialize` (the frontend messages)
   * @param parseResults PGlite's `parse.parseResults` (the backend messages as rows)
   * @param now the clock that ages the statements
   */
  constructor(db, serialize, parseResults, now = Date.now) {
    this.db = db;
    this.serialize = serialize;
    this.parseResults = parseResults;
    this.now = now;
    /** name → { text, types }: the text it was prepared from, and its parameters' type ids. */
    this.prepared = new Map();
    this.closeAllAt = now() + STATEMENT_LIFETIME_MS;
  }

  /** `text` as the statement `name`, prepared on first use; answers as PGlite's `query` does. */
  query(name, text, params, inTransaction) {
    const run = () => this.db._runExclusiveQuery(() => this.bindAndExecute(name, text, params, inTransaction));
    return inTransaction ? run() : this.db._runExclusiveTransaction(run);
  }

  async bindAndExecute(name, text, params, inTransaction) {
    const messages = [];
    try {
      const statement = await this.statement(name, text);
      const values = params.map((value, index) => this.serialized(value, statement.types[index]));
      messages.push(...(await this.send(this.serialize.bind({ statement: name, values }))));
      messages.push(...(await this.send(this.serialize.describe({ type: 'P' }))));
      messages.push(...(await this.send(this.serialize.execute({}))));
    } finally {
      // After an error PostgreSQL skips every message up to this one.
      messages.push(...(await this.send(this.serialize.sync())));
    }
    if (!inTransaction) await this.db.syncToFs();
    return this.parseResults(messages, this.db.parsers)[0];
  }

  async statement(name, text) {
    if (this.now() >= this.closeAllAt) await this.closeAll();
    const known = this.prepared.get(name);
    if (known !== undefined) {
      // node-pg refuses the same on a PostgreSQL connection: a name stands for one text.
      if (known.text !== text) throw new Error(`Prepared statements must be unique - '${name}' was used for a different statement`);
      return known;
    }
    await this.send(this.serialize.parse({ name, text }));
    const described = await this.send(this.serialize.describe({ type: 'S', name }));
    const parameters = described.find((message) => message.name === 'parameterDescription');
    const statement = { text, types: parameters === undefined ? [] : parameters.dataTypeIDs };
    this.prepared.set(name, statement);
    return statement;
  }

  async closeAll() {
    const names = [...this.prepared.keys()];
    this.prepared.clear();
    this.closeAllAt = this.now() + STATEMENT_LIFETIME_MS;
    for (const name of names) await this.send(this.serialize.close({ type: 'S', name }));
  }

  /** A parameter as PGlite's `query` sends it: null as NULL, else through the serializer of its type, else as text. */
  serialized(value, typeId) {
    if (value === null || value === undefined) return null;
    const serializer = this.db.serializers[typeId];
    return serializer ? serializer(value) : value.toString();
  }

  send(message) {
    return this.db.execProtocolStream(message, { syncToFs: false });
  }
}

module.exports = { NamedStatements, STATEMENT_LIFETIME_MS };
