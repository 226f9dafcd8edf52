// The embedded database as PgliteClient uses it, on whichever thread it runs (pglite-thread.ts, pglite-here.ts).

/** How a statement is sent: `copy` is the input of a `COPY … FROM '/dev/blob'` statement; `name` prepares it once (pglite-named-statements.js). */
export interface PgliteQueryOptions {
  readonly copy?: string;
  readonly name?: string;
}

/** The statements PgliteClient sends: to the database, or inside one of its transactions. */
export interface PgliteSession {
  query<Row>(text: string, params: readonly unknown[], options?: PgliteQueryOptions): Promise<{ rows: Row[]; affectedRows: number }>;
  exec(script: string): Promise<void>;
}

/** What PgliteClient needs of PGlite, served on the calling thread or by a thread that owns it. */
export interface PgliteHandle extends PgliteSession {
  readonly closed: boolean;
  transaction<T>(work: (tx: PgliteSession) => Promise<T>): Promise<T>;
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Where the embedded database runs: a worker thread of its own, or the thread that opens it. */
export const PGLITE_THREADINGS = ['worker', 'main'] as const;
export type PgliteThreading = (typeof PGLITE_THREADINGS)[number];
