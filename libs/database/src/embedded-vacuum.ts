import { isSqlError, UNDEFINED_TABLE, type SqlQueryable } from './sql-client';
import { chooseVacuum, readVacuumThresholds, type TableUpkeepState, type VacuumChoice, type VacuumThresholds } from './vacuum-policy';

export interface VacuumReport extends VacuumChoice {
  /** From sending the statement to its end: the wait for the one connection included. */
  readonly durationMs: number;
}

export interface VacuumStepOutcome {
  /** Age of the database's oldest unfrozen transaction id: PostgreSQL wraps around at about 2.1 billion. */
  readonly oldestXidAge: number;
  /** The table the step maintained; absent when none was due. */
  readonly vacuumed?: VacuumReport;
}

export interface EmbeddedVacuumOptions {
  /** Time between steps while no table is due, and how long a table rests (see `choose`). */
  readonly intervalMs: number;
  readonly onStep?: (outcome: VacuumStepOutcome) => void;
  readonly onError?: (error: Error) => void;
  /** Replace thresholds read from the database's settings (a freeze age a test can reach). */
  readonly thresholds?: Partial<VacuumThresholds>;
}

/** After a step that found work, the next comes this soon, so a backlog drains a table at a time with other statements in between. */
const BACKLOG_PAUSE_MS = 1_000;

const TABLES_SQL = `
  SELECT format('%I.%I', n.nspname, c.relname) AS target,
         greatest(age(c.relfrozenxid), coalesce(age(t.relfrozenxid), 0))::float8 AS "xidAge",
         greatest(mxid_age(c.relminmxid), coalesce(mxid_age(t.relminmxid), 0))::float8 AS "multixactAge",
         c.reltuples::float8 AS "liveRowsEstimate",
         c.relpages::float8 AS pages,
         c.relallfrozen::float8 AS "allFrozenPages",
         coalesce(s.n_dead_tup, 0)::float8 AS "deadRows",
         coalesce(s.n_ins_since_vacuum, 0)::float8 AS "insertsSinceVacuum",
         coalesce(s.n_mod_since_analyze, 0)::float8 AS "changesSinceAnalyze",
         c.oid <> 'pg_catalog.pg_statistic'::regclass AS analyzable
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
  WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'`;

/**
 * Does for the embedded store what autovacuum does for a PostgreSQL server, which PGlite's
 * single-user PostgreSQL never does: removes dead row versions (every projected event rewrites
 * a row), keeps statistics current, and freezes old transaction ids before the wraparound,
 * past which rows never frozen would vanish from every query. A step maintains at most one
 * table, since every other statement on the one connection waits while it runs.
 */
export class EmbeddedVacuum {
  private thresholds?: VacuumThresholds;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastChoice?: VacuumChoice;
  /** Steps in a row that chose lastChoice's table. */
  private streak = 0;
  /** Tables left out of the choice until the time given (see `choose`). */
  private readonly resting = new Map<string, number>();

  constructor(
    private readonly sql: SqlQueryable,
    private readonly options: EmbeddedVacuumOptions,
  ) {}

  start(): void {
    this.schedule(this.options.intervalMs);
  }

  /** Resolves once a step under way has ended; no step starts after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Maintains the most urgent table, if one is due, and reports the database's oldest transaction id's age. */
  async step(): Promise<VacuumStepOutcome> {
    this.thresholds ??= { ...(await readVacuumThresholds(this.sql)), ...this.options.thresholds };
    const choice = await this.choose(this.thresholds);
    const vacuumed = choice && (await this.execute(choice));
    const { rows } = await this.sql.query<{ age: number }>('SELECT age(datfrozenxid)::float8 AS age FROM pg_database WHERE datname = current_database()');
    const outcome = { oldestXidAge: rows[0]!.age, ...(vacuumed ? { vacuumed } : {}) };
    try {
      this.options.onStep?.(outcome);
    } catch (error) {
      // The statement succeeded: a failing report is the reporter's, not the step's.
      this.reportError(error);
    }
    return outcome;
  }

  /**
   * A table chosen again for the same reason right after its statement (which failed, or did not
   * bring it under the threshold), or for a third step in a row (a busy table due for its dead
   * rows again after every ANALYZE), rests for an interval, so that it cannot hold the others back.
   */
  private async choose(thresholds: VacuumThresholds): Promise<VacuumChoice | undefined> {
    const now = Date.now();
    for (const [target, until] of this.resting) if (until <= now) this.resting.delete(target);
    const { rows } = await this.sql.query<TableUpkeepState>(TABLES_SQL);
    let choice = chooseVacuum(rows.filter((table) => !this.resting.has(table.target)), thresholds);
    const previous = this.lastChoice;
    if (choice && previous && choice.target === previous.target && (choice.reason === previous.reason || this.streak >= 2)) {
      this.resting.set(choice.target, now + this.options.intervalMs);
      choice = chooseVacuum(rows.filter((table) => !this.resting.has(table.target)), thresholds);
    }
    this.streak = choice && choice.target === previous?.target ? this.streak + 1 : 1;
    this.lastChoice = choice;
    return choice;
  }

  private async execute(choice: VacuumChoice): Promise<VacuumReport | undefined> {
    const started = performance.now();
    try {
      await this.sql.exec(choice.statement);
    } catch (error) {
      // A generation dropped since the catalog was read (a rebuild swapped it out).
      if (isSqlError(error, UNDEFINED_TABLE)) return undefined;
      throw error;
    }
    return { ...choice, durationMs: performance.now() - started };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let next = this.options.intervalMs;
      this.running = this.step()
        .then(
          (outcome) => {
            if (outcome.vacuumed) next = Math.min(BACKLOG_PAUSE_MS, this.options.intervalMs);
          },
          (error: unknown) => this.reportError(error),
        )
        .finally(() => this.schedule(next));
    }, delayMs);
    this.timer.unref();
  }

  private reportError(error: unknown): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // A failing report must not stop the vacuum, nor make stop() reject.
    }
  }
}
