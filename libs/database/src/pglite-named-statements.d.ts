import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import type { PgliteQueryOptions } from './pglite-handle';

/** pglite-named-statements.js: statements named by their caller, prepared once on the database and again every STATEMENT_LIFETIME_MS. */
export declare const STATEMENT_LIFETIME_MS: number;

export declare class NamedStatements {
  constructor(db: PGlite, frontend: unknown, parseResults: unknown, now?: () => number);
  /** `text` on the database or a transaction of it: prepared as `options.name` when named and not a COPY, otherwise PGlite's `query`. */
  run<Row>(on: PGlite | Transaction, text: string, params: readonly unknown[], options?: PgliteQueryOptions): Promise<Results<Row>>;
  /** `transaction`: the PGlite transaction the call belongs to (which holds the transaction lock), undefined outside one. */
  query<Row>(name: string, text: string, params: readonly unknown[], transaction: Transaction | undefined): Promise<Results<Row>>;
}
