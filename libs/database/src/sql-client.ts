import type { AdvisoryLease } from './advisory-lease';

/**
 * The slice of PostgreSQL the engine uses, served by a pg pool (server mode) or by PGlite
 * (embedded mode). Both speak the same SQL, so stores and read models are written once.
 */
export interface SqlQueryable {
  /** `name` makes it a prepared statement: on PostgreSQL per connection, on PGlite per database (pglite-named-statements.js). */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<{ rows: Row[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** What a transaction's work is handed: its queries, and COPY into one of its tables. */
export interface SqlTransaction extends SqlQueryable {
  /**
   * `COPY table (columns) FROM STDIN` of `rows`, in COPY's text format (a row a line, ending
   * with a line break; fields split by tabs; backslash, tab and line breaks escaped as
   * `\\`, `\t`, `\n`, `\r`). Resolves to the number of rows copied. `table` and `columns`
   * go into the statement as they are: constants of the caller, never input.
   */
  copyRows(table: string, columns: string, rows: string): Promise<number>;
}

export interface SqlClient extends SqlQueryable {
  readonly kind: 'postgres' | 'embedded';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for each NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Takes the session-level advisory lock `key` on a connection of its own, or resolves to null
   * when another session holds it, or another caller on this client does. Advisory locks are
   * per database: derive keys from the schema too when several schemas share one. On the
   * embedded database (one process) a lock is always granted to its first taker.
   */
  tryAdvisoryLock(key: bigint): Promise<AdvisoryLease | null>;
  close(): Promise<void>;
}

/** PostgreSQL error fields the stores map to domain errors. */
export interface SqlError extends Error {
  code?: string;
  constraint?: string;
}

export function isSqlError(error: unknown, code?: string): error is SqlError {
  return error instanceof Error && typeof (error as SqlError).code === 'string' && (code === undefined || (error as SqlError).code === code);
}

export const UNIQUE_VIOLATION = '23505';
export const DEADLOCK_DETECTED = '40P01';
/** A table or view that does not exist (yet), e.g. a read model no projector has created. */
export const UNDEFINED_TABLE = '42P01';
/** Class 22: data exceptions (bad text encoding, out-of-range values, invalid JSON…). */
export function isDataException(error: unknown): boolean {
  return isSqlError(error) && error.code!.startsWith('22');
}

/** An identifier quoted for SQL, any `"` doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
