import type { SqlQueryable } from '@ahe/database';
import type { EventEnvelope } from '@ahe/event-store';

/**
 * A projection as the engine sees it: a name, a version, the tables it owns, and a batch
 * `apply` that turns events (in global order) into writes on those tables. The engine commits
 * those writes together with the checkpoint, in one transaction, so a batch applied twice
 * (after a crash) is never half-applied and never counted twice.
 *
 * Tables live in generations: the engine creates `<table>__g<generation>` from `ddl` and keeps
 * a view named `<table>` over the generation that serves queries. A rebuild fills a new
 * generation from the start of the log while the old one keeps serving, then swaps the views
 * in one transaction.
 */
export interface ProjectionDefinition {
  /** snake_case, e.g. `account_health`; also the name in the API and `ahe rebuild NAME`. */
  readonly name: string;
  /**
   * Changes whenever the output would change for the same events (code, table shape, scoring
   * rules). A stored generation of another version is rebuilt when a worker starts.
   */
  readonly version: string;
  readonly tables: readonly ProjectionTable[];
  /** Rows per batch the engine reads from the log (default: the engine's batch size). */
  readonly batchSize?: number;
  /**
   * false when `apply` never reads an event's metadata: the engine then reads the log without
   * it (ReadAllOptions.metadata), most of each event's bytes. Default true.
   */
  readonly readsMetadata?: boolean;
  /**
   * Writes the effects of `events` into the tables of `context`. Deterministic in (stored rows,
   * events, context.now). Throws to reject the batch: the engine then applies the events one
   * by one and parks the one that throws, with its error, instead of stalling.
   */
  apply(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void>;
  /**
   * Periodic maintenance of time-based values (e.g. "days since last contact"), run by the
   * process that owns the projection on the serving generation, between batches, in steps of
   * bounded work, each in its own transaction.
   */
  readonly refresh?: ProjectionRefresh;
}

export interface ProjectionTable {
  /** Logical name: the view that queries and SQL users read, e.g. `account_health`. */
  readonly name: string;
  /**
   * SQL creating the table named `physical` and its indexes. Index and constraint names must
   * contain `physical` so generations never collide.
   */
  ddl(physical: string): string;
}

export interface ProjectionContext {
  readonly tx: SqlQueryable;
  /** The physical (quoted-safe, lower-case) name of one of the projection's tables in the generation being written. */
  table(name: string): string;
  /** The instant the batch is applied at (the engine's injected clock). */
  readonly now: Date;
}

export interface ProjectionRefresh {
  readonly intervalMs: number;
  /**
   * Lets the refresh ask for its next run before `intervalMs` has passed, when work it started in
   * the background has finished (the LTV fit on its worker thread). Called once by each owner
   * with that owner's wake-up; returns what ends the subscription. A refresh that has it is also
   * run at once after a new generation has swapped in (one without it waits for its interval:
   * account_health's would re-score every row a rebuild left due).
   */
  readonly wakeups?: (wake: () => void) => () => void;
  /**
   * One step of a refresh, in the transaction of `context`: the first step gets no cursor; a
   * step that returns `next` is followed by another, in a transaction of its own, given `next`
   * as its cursor, and the projection's batches may be applied in between. Keep a step's work
   * bounded (a few hundred rows): while its transaction is open the projection's batches
   * wait for it and, on PostgreSQL, so does every reader of the log, which returns only events
   * committed before the oldest transaction still open (ADR 0002): re-scoring 19,600 health
   * rows in one transaction once held every read model up to 4.3 s behind the log.
   */
  run(context: ProjectionContext, cursor?: unknown): Promise<RefreshStep>;
}

export interface RefreshStep {
  /** Rows the step changed. */
  readonly changed: number;
  /** Where the next step resumes; absent once the refresh is complete. */
  readonly next?: unknown;
}

/** Runs a refresh's steps one after another, each through `step` (as the engine runs them, a transaction each); the rows they changed. */
export async function refreshToEnd(step: (cursor: unknown) => Promise<RefreshStep>): Promise<number> {
  let changed = 0;
  let cursor: unknown;
  do {
    const result = await step(cursor);
    changed += result.changed;
    cursor = result.next;
  } while (cursor !== undefined);
  return changed;
}
