// Named statements on the embedded database's thread (pglite-thread.worker.js). Plain JavaScript
// for the same reason as the worker: it runs from the source tree and from dist/ alike.
'use strict';

/**
 * How long the prepared statements live: the first named call after it closes them all, and each
 * is prepared again on its next use, as on a pooled PostgreSQL connection, which is replaced as
 * often (pg-pool.client.ts, CONNECTION_LIFETIME_S). PostgreSQL keeps a statement's generic plan
 * until an ANALYZE or a DDL of its tables, and on the embedded store ANALYZE comes only from the
 * engine's vacuum (embedded-vacuum.ts), a table at a time and once a tenth of it has changed: a
 * plan made while a table was nearly empty (a sequential scan) could otherwise outlive the table's
 * growth for long. It also drops the statements of generations since dropped.
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
 * transaction that rolls back stays prepared. Each call takes PGlite's locks as its `query`
 * does: outside a transaction the transaction lock first, then the query lock.
 */
class NamedStatements {
  /**
   * @param db the PGlite instance
   * @param frontend PGlite's `protocol.serialize` (the messages a client sends)
   * @param parseResults PGlite's `parse.parseResults` (the backend's messages as rows)
   * @param now the clock that ages the statements
   */
  constructor(db, frontend, parseResults, now = Date.now) {
    this.db = db;
    this.frontend = frontend;
    this.parseResults = parseResults;
    this.now = now;
    /** name → { text, types, columns }: its text, its parameters' type ids, and the backend's description of its rows. */
    this.prepared = new Map();
    this.closeAllAt = now() + STATEMENT_LIFETIME_MS;
  }

  /**
   * `text` on `on` (the database, or a transaction of it): as the statement `name` when it is named
   * and carries no COPY data, otherwise through PGlite's `query` (a COPY's data goes as its blob).
   * Answers as PGlite's `query` does.
   */
  run(on, text, params, { copy, name } = {}) {
    if (name !== undefined && copy === undefined) return this.query(name, text, params, on === this.db ? undefined : on);
    return on.query(text, params, copy === undefined ? undefined : { blob: new Blob([copy]) });
  }

  /**
   * `text` as the statement `name`, prepared on first use; answers as PGlite's `query` does.
   * `transaction`: the PGlite transaction the call belongs to, or undefined outside one.
   */
  async query(name, text, params, transaction) {
    await this.db._checkReady();
    const run = () =>
      this.db._runExclusiveQuery(() => {
        // PGlite's own tx.query refuses the same: the transaction's lock is no longer held for it.
        if (transaction !== undefined && transaction.closed) throw new Error('Transaction is closed');
        return this.execute(name, text, params, transaction !== undefined);
      });
    return transaction === undefined ? this.db._runExclusiveTransaction(run) : run();
  }

  async execute(name, text, params, inTransaction) {
    const messages = [];
    try {
      const statement = await this.preparedStatement(name, text);
      const values = params.map((value, index) => this.parameterValue(value, statement.types[index]));
      // The rows' description from the statement's own: a prepared statement's result type cannot change.
      messages.push(...statement.columns);
      messages.push(...(await this.send(this.frontend.bind({ statement: name, values }))));
      messages.push(...(await this.send(this.frontend.execute({}))));
    } finally {
      // After an error PostgreSQL skips every message up to this one.
      messages.push(...(await this.send(this.frontend.sync())));
    }
    if (!inTransaction) await this.db.syncToFs();
    return this.parseResults(messages, this.db.parsers)[0];
  }

  async preparedStatement(name, text) {
    if (this.now() >= this.closeAllAt) await this.closeAll();
    const known = this.prepared.get(name);
    if (known !== undefined) {
      // node-pg refuses the same on a PostgreSQL connection: a name stands for one text.
      if (known.text !== text) throw new Error(`Prepared statements must be unique - '${name}' was used for a different statement`);
      return known;
    }
    // A statement left prepared by a call that failed after its Parse would refuse a second one;
    // closing a name that is not prepared is no error.
    await this.send(this.frontend.close({ type: 'S', name }));
    await this.send(this.frontend.parse({ name, text }));
    const described = await this.send(this.frontend.describe({ type: 'S', name }));
    const parameters = described.find((message) => message.name === 'parameterDescription');
    const statement = {
      text,
      types: parameters === undefined ? [] : parameters.dataTypeIDs,
      columns: described.filter((message) => message.name === 'rowDescription'),
    };
    this.prepared.set(name, statement);
    return statement;
  }

  async closeAll() {
    const names = [...this.prepared.keys()];
    this.prepared.clear();
    this.closeAllAt = this.now() + STATEMENT_LIFETIME_MS;
    for (const name of names) await this.send(this.frontend.close({ type: 'S', name }));
  }

  /** A parameter as PGlite's `query` sends it: null as NULL, else through the serializer of its type, else as text. */
  parameterValue(value, typeId) {
    if (value === null || value === undefined) return null;
    const serializer = this.db.serializers[typeId];
    return serializer ? serializer(value) : value.toString();
  }

  send(message) {
    return this.db.execProtocolStream(message, { syncToFs: false });
  }
}

module.exports = { NamedStatements, STATEMENT_LIFETIME_MS };
