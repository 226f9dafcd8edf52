import type { SqlClient } from '@ahe/database';
import { PollingSubscription } from '../polling-subscription';
import { readAllBounds } from '../read-options';
import type { Checkpoint, EventEnvelope, GlobalBatch, ReadAllOptions, SubscribeOptions, Subscription } from '../event-store.port';
import { onCommit } from './commit-wakeups';
import { InstantText, logRowToEnvelope, rowCheckpoint, type LogRow } from './event-rows';
import { READ_ALL_WITHOUT_METADATA, READ_SQL } from './event-read.queries';
import { pageStatement, rowsOfPage } from './log-page';

/** readAll's statements and their names, as rows and as one document a page (log-page.ts). */
const READ_ALL = {
  full: { rows: READ_SQL.readAll, rowsName: 'ahe_read_all', page: pageStatement(READ_SQL.readAll, true), pageName: 'ahe_read_all_page' },
  lean: { rows: READ_ALL_WITHOUT_METADATA, rowsName: 'ahe_read_all_lean', page: pageStatement(READ_ALL_WITHOUT_METADATA, false), pageName: 'ahe_read_all_page_lean' },
} as const;

/**
 * SqlEventStore's reads of the global log: its pages (readAll), and the subscriptions that
 * read them, woken by commits, until the store stops them.
 */
export class GlobalLogReader {
  private readonly subscriptions = new Set<Subscription>();
  /** Subscriptions' reads under way, by page: see readPage. */
  private readonly pageReads = new Map<string, { wakes: number; page: Promise<GlobalBatch> }>();
  /** Commit wake-ups seen by this reader's subscriptions. */
  private wakes = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly upcast: (event: EventEnvelope) => EventEnvelope,
    private readonly onPageReadAsRows: (error: unknown) => void = () => undefined,
  ) {}

  async readAll(options: ReadAllOptions = {}): Promise<GlobalBatch> {
    const { after, limit } = readAllBounds(options);
    const rows = await this.logRows(options.metadata === false ? READ_ALL.lean : READ_ALL.full, [after.commit.toString(), after.prepare.toString(), limit]);
    const events = new Array<EventEnvelope>(rows.length);
    const recorded = new InstantText();
    for (let i = 0; i < rows.length; i++) events[i] = this.upcast(logRowToEnvelope(rows[i]!, recorded));
    return {
      events,
      checkpoint: rows.length ? rowCheckpoint(rows[rows.length - 1]!) : after,
    };
  }

  /** A page's rows: on the embedded store read as one document, unless that fails. */
  private async logRows(statements: (typeof READ_ALL)[keyof typeof READ_ALL], params: unknown[]): Promise<LogRow[]> {
    const asRows = async () => (await this.sql.query<LogRow>(statements.rows, params, statements.rowsName)).rows;
    if (this.sql.kind !== 'embedded') return asRows();
    try {
      const { rows } = await this.sql.query<{ page: string | null }>(statements.page, params, statements.pageName);
      return rowsOfPage(rows[0]?.page ?? null);
    } catch (error) {
      // A page too large for one string is read as rows, and reported once it has been; a
      // failure of the database fails that read too, and reaches the caller from there.
      const rows = await asRows();
      this.onPageReadAsRows(error);
      return rows;
    }
  }

  /**
   * A subscription's read: subscriptions asking for the same page (checkpoint and limit) while
   * one query for it is under way share that query, unless a commit woke a subscription since
   * it started (its answer may predate that commit). Several read models at the head of the
   * log, woken by the same commit, thus read it once. A shared answer is as good as a fresh
   * one: a full page is the same whenever it is read (ADR 0002), and a subscription that gets
   * a short one reads again after it anyway.
   */
  private readPage(after: Checkpoint, limit: number, metadata: boolean): Promise<GlobalBatch> {
    const key = `${after.commit}/${after.prepare}/${limit}/${metadata}`;
    const shared = this.pageReads.get(key);
    if (shared && shared.wakes === this.wakes) return shared.page;
    const entry = { wakes: this.wakes, page: this.readAll({ after, limit, metadata }) };
    this.pageReads.set(key, entry);
    const forget = () => {
      if (this.pageReads.get(key) === entry) this.pageReads.delete(key);
    };
    entry.page.then(forget, forget);
    return entry.page;
  }

  /** True when events exist past `after` that the watermark still hides (a transaction is open). */
  private async hasHiddenEvents(after: Checkpoint): Promise<boolean> {
    const { rows } = await this.sql.query<{ hidden: boolean }>(READ_SQL.hiddenAfter, [after.commit.toString(), after.prepare.toString()], 'ahe_hidden_after');
    return rows.length > 0;
  }

  subscribe(handler: (batch: GlobalBatch) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    const subscription = new PollingSubscription(
      {
        read: (after, limit) => this.readPage(after, limit, options.metadata !== false),
        hasHidden: (after) => this.hasHiddenEvents(after),
        onWake: (wake) =>
          onCommit(this.sql, () => {
            this.wakes++;
            wake();
          }),
      },
      handler,
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  /** Stops every subscription still running. */
  async stopSubscriptions(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }
}
