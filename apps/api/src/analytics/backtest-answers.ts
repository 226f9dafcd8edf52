import { Inject, Injectable } from '@nestjs/common';
import { accountIdOfStream } from '@ahe/domain';
import { LruMap, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { churnWindowEnd, countsAsOf, type ChurnBacktest } from '@ahe/read-models';
import { BacktestBusyError } from './backtest-busy.error';
import { BACKTEST_METRICS, type BacktestMetrics, type BacktestServed } from './backtest-metrics';
import { BacktestReplayer, type BacktestQuestion } from './backtest-replayer';
import { LogTail } from './log-tail';

/** Answers kept: the few instants and horizons an analyst compares, on both axes. An answer is a few kilobytes. */
export const BACKTESTS_KEPT = 32;
/**
 * Whole-log replays one process runs at once. Each holds every account's folded facts and, on the
 * embedded store, the process's one thread; past this a request is refused rather than queued.
 */
export const BACKTEST_REPLAYS_AT_ONCE = 1;

interface Tracked {
  readonly question: BacktestQuestion;
  /** The answer reads no event whose instant on the axis is after this: asOf + horizonDays. */
  readonly observeUntilMs: number;
}

interface KeptBacktest extends Tracked {
  readonly backtest: ChurnBacktest;
}

interface Replay extends Tracked {
  readonly backtest: Promise<ChurnBacktest>;
  /** An event appended since the replay started may have been missed by it: not kept, and no request joins it any more. */
  stale: boolean;
}

export interface ServedBacktest {
  readonly backtest: ChurnBacktest;
  readonly served: Exclude<BacktestServed, 'busy'>;
}

const keyOf = ({ asOf, axis, horizonDays }: BacktestQuestion): string => `${axis}|${asOf.toISOString()}|${horizonDays}`;

/** Whether one of `events` may change the answer: an account event within what the replay folds or observes. */
const changes = (events: readonly EventEnvelope[], { question, observeUntilMs }: Tracked): boolean =>
  events.some((event) => accountIdOfStream(event.streamId) !== null && countsAsOf(event, observeUntilMs, question.axis));

/**
 * The backtests of GET /v1/analytics/backtest, as LtvModelsAsOfCache keeps the as-of LTV fits:
 * each answer is kept per (axis, asOf, horizonDays) until an appended event counts within its
 * window on that axis, checked by reading only what was appended since the last request. A
 * request for a question whose replay is under way, and still valid, waits for that replay.
 * Any other needs a replay of its own, refused with BACKTEST_BUSY while BACKTEST_REPLAYS_AT_ONCE run.
 */
@Injectable()
export class BacktestAnswers {
  private readonly kept = new LruMap<string, KeptBacktest>(BACKTESTS_KEPT);
  private readonly replays = new Map<string, Replay>();
  private readonly tail: LogTail;
  private running = 0;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(BacktestReplayer) private readonly replayer: BacktestReplayer,
    @Inject(BACKTEST_METRICS) private readonly metrics: BacktestMetrics,
  ) {
    this.tail = new LogTail(store, (events) => this.dropChangedBy(events));
  }

  /** The backtest on the log as it stands at the call; BacktestBusyError when it needs a replay and none may start. */
  async answer(question: BacktestQuestion): Promise<ServedBacktest> {
    await this.tail.catchUp();
    const key = keyOf(question);
    const kept = this.kept.get(key);
    if (kept !== undefined) return this.served(kept.backtest, 'cache');
    const underWay = this.replays.get(key);
    if (underWay !== undefined) {
      this.metrics.served('shared');
      return { backtest: await underWay.backtest, served: 'shared' };
    }
    if (this.running >= BACKTEST_REPLAYS_AT_ONCE) {
      this.metrics.served('busy');
      throw new BacktestBusyError(BACKTEST_REPLAYS_AT_ONCE);
    }
    this.metrics.served('replay');
    return { backtest: await this.replay(key, question), served: 'replay' };
  }

  private served(backtest: ChurnBacktest, served: 'cache'): ServedBacktest {
    this.metrics.served(served);
    return { backtest, served };
  }

  private async replay(key: string, question: BacktestQuestion): Promise<ChurnBacktest> {
    this.setRunning(this.running + 1);
    const observeUntilMs = churnWindowEnd(question.asOf, question.horizonDays).getTime();
    // Started after the catch-up: the replay reads at least every event the tail has checked.
    const replay: Replay = { question, observeUntilMs, backtest: this.replayer.backtest(question), stale: false };
    this.replays.set(key, replay);
    try {
      const backtest = await replay.backtest;
      if (!replay.stale) this.kept.set(key, { question, observeUntilMs, backtest });
      return backtest;
    } finally {
      if (this.replays.get(key) === replay) this.replays.delete(key);
      this.setRunning(this.running - 1);
    }
  }

  private setRunning(count: number): void {
    this.running = count;
    this.metrics.replaysRunning(count);
  }

  private dropChangedBy(events: readonly EventEnvelope[]): void {
    for (const [key, kept] of this.kept.snapshot()) {
      if (changes(events, kept)) this.kept.delete(key);
    }
    for (const [key, replay] of this.replays) {
      if (!changes(events, replay)) continue;
      replay.stale = true;
      this.replays.delete(key);
    }
  }
}
