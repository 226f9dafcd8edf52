import type { PGlite, Results } from '@electric-sql/pglite';

/** pglite-named-statements.js: statements named by their caller, prepared once on the database and again every STATEMENT_LIFETIME_MS. */
export declare const STATEMENT_LIFETIME_MS: number;

export declare class NamedStatements {
  constructor(db: PGlite, serialize: unknown, parseResults: unknown, now?: () => number);
  /** `inTransaction`: the call comes from inside one of the database's transactions (which already holds its transaction lock). */
  query<Row>(name: string, text: string, params: readonly unknown[], inTransaction: boolean): Promise<Results<Row>>;
}
