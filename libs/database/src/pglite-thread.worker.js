// The thread that owns the embedded database (see pglite-thread.ts, which starts it and speaks
// to it). Plain JavaScript so that the same file runs from the source tree (jest) and from
// dist/ without a compile step inside the thread.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, types, protocol, parse } = require(workerData.pglite);
const { NamedStatements } = require('./pglite-named-statements');

/** Thrown inside PGlite's transaction callback to have it roll back; never reported. */
const ROLL_BACK = Symbol('roll back');

/** PGlite's errors carry PostgreSQL's fields (code, constraint, detail…) as own properties. */
function describe(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) if (['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  return fields;
}

/**
 * json and jsonb values leave this thread as PostgreSQL's text, and the caller's thread parses
 * them (pglite-thread.ts): this thread runs every statement of the process, and a parsed document
 * would be parsed here and then copied field by field into the message, where text is copied
 * whole. Arrays of them (json[], jsonb[]) come as arrays of that text: PGlite parses an array's
 * elements with its element type's parser.
 */
const asText = (value) => value;
const PARSERS = { [types.JSON]: asText, [types.JSONB]: asText };
/** json[] and jsonb[]: PGlite's array parser gives their elements the element type's parser, the text one above. */
const JSON_ARRAY_TYPE_IDS = new Set([/* json[] */ 199, /* jsonb[] */ 3807]);

/**
 * The names of a result's columns that hold json text (json, jsonb and arrays of them), for the
 * caller to parse; undefined when there are none. A row keeps the last column of a name (PGlite
 * builds it with Object.fromEntries), so only that column's type counts.
 */
function jsonColumns(fields) {
  const typeOfName = new Map(fields.map((field) => [field.name, field.dataTypeID]));
  const names = [...typeOfName].filter(([, typeId]) => typeId === types.JSON || typeId === types.JSONB || JSON_ARRAY_TYPE_IDS.has(typeId)).map(([name]) => name);
  return names.length > 0 ? names : undefined;
}

async function main() {
  // A new database starts from the image of a new cluster when it is given one (pglite-cluster-image.ts).
  const image = workerData.image ? { loadDataDir: new Blob([workerData.image]) } : {};
  const options = { parsers: PARSERS, ...image };
  const db = workerData.dataDir === null ? await PGlite.create(options) : await PGlite.create(workerData.dataDir, options);
  /** Transactions open on behalf of the caller: its queries name them by the id of their `begin`. */
  const transactions = new Map();
  const listeners = new Map();
  const reply = (id, body) => parentPort.postMessage({ id, ...body });
  const answer = (id, work) =>
    work.then(
      (result) => reply(id, { result }),
      (error) => reply(id, { error: describe(error) }),
    );
  const session = (tx) => {
    if (tx === undefined) return db;
    const open = transactions.get(tx);
    if (!open) throw new Error('Transaction is closed'); // PGlite's words for a statement on an ended transaction
    return open.session;
  };
  const named = new NamedStatements(db, protocol.serialize, parse.parseResults);
  const run = (on, { text, params, copy, name }) =>
    named.run(on, text, params, { copy, name }).then((r) => ({ rows: r.rows, affectedRows: r.affectedRows ?? 0, json: jsonColumns(r.fields) }));

  parentPort.on('message', (message) => {
    const { id, op } = message;
    switch (op) {
      case 'query':
        return answer(id, Promise.resolve().then(() => run(session(message.tx), message)));
      case 'exec':
        return answer(id, Promise.resolve().then(() => session(message.tx).exec(message.script)).then(() => undefined));
      case 'begin':
        // Answered twice: once when the transaction is open (`begun`), once it has ended.
        return answer(
          id,
          db
            .transaction(async (tx) => {
              const outcome = new Promise((resolve) => transactions.set(id, { session: tx, end: resolve }));
              reply(id, { begun: true });
              if (!(await outcome)) throw ROLL_BACK;
            })
            .catch((error) => {
              if (error !== ROLL_BACK) throw error;
            })
            .finally(() => transactions.delete(id)),
        );
      case 'end': // not answered: the transaction's `begin` is, once it has committed or rolled back
        return transactions.get(message.tx)?.end(message.commit);
      case 'listen':
        return answer(
          id,
          db.listen(message.channel, (payload) => parentPort.postMessage({ notify: id, payload })).then((unlisten) => void listeners.set(id, unlisten)),
        );
      case 'unlisten': {
        const unlisten = listeners.get(message.listener);
        listeners.delete(message.listener);
        return answer(id, Promise.resolve(unlisten?.()).then(() => undefined));
      }
      case 'close':
        return answer(id, db.closed ? Promise.resolve() : db.close());
      default:
        return reply(id, { error: { message: `unknown request ${op}` } });
    }
  });
  parentPort.postMessage({ ready: true });
}

main().catch((error) => parentPort.postMessage({ failed: describe(error) }));
