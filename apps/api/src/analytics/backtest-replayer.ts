import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { backtestChurnRisk, churnWindowEnd, type ChurnBacktest, type ScoringRules, type TimeAxis } from '@ahe/read-models';
import { SCORING_RULES } from '../queries/scoring-rules.module';
import { replayStore } from './event-log';

/** What a backtest answer depends on, besides the log. */
export interface BacktestQuestion {
  readonly asOf: Date;
  readonly axis: TimeAxis;
  readonly horizonDays: number;
}

/** The expensive part of a backtest: a replay of the whole log, folded in this process, then scored. */
@Injectable()
export class BacktestReplayer {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SCORING_RULES) private readonly rules: ScoringRules,
  ) {}

  async backtest({ asOf, axis, horizonDays }: BacktestQuestion): Promise<ChurnBacktest> {
    const replay = await replayStore(this.store, { asOf, axis, observeUntil: churnWindowEnd(asOf, horizonDays) });
    return backtestChurnRisk(replay, this.rules, { horizonDays });
  }
}
