import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ahe/event-store';
import { EVENT_STORE, Roles } from '@ahe/platform';
import { backtestChurnRisk, churnWindowEnd, latestElapsedAsOf, type ChurnBacktest, type ScoringRules } from '@ahe/read-models';
import { badQuery } from '../queries/dto/bad-query';
import { SCORING_RULES } from '../queries/scoring-rules.module';
import { pastInstant } from './dto/analytics-query-fields';
import { BacktestDto } from './dto/backtest.dto';
import { BacktestQueryDto, DEFAULT_HORIZON_DAYS } from './dto/backtest.query';
import { replayStore } from './event-log';

/** API.md `GET /v1/analytics/backtest`: how well churnRisk as of a past instant foretold the churn that followed. */
@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/analytics/backtest')
export class BacktestController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SCORING_RULES) private readonly rules: ScoringRules,
  ) {}

  @Get()
  @ApiOperation({ summary: 'churnRisk as of asOf against churn (RenewalLost, AccountClosed) within horizonDays: AUC, ROC, lift by decile, calibration by band (reads the whole log)' })
  @ApiOkResponse({ type: BacktestDto })
  @ApiBadRequestResponse({ description: 'A bad parameter, asOf in the future, or a horizon that has not elapsed yet; field names it' })
  async backtest(@Query() query: BacktestQueryDto): Promise<ChurnBacktest> {
    const now = new Date();
    const horizonDays = query.horizonDays ?? DEFAULT_HORIZON_DAYS;
    const asOf = query.asOf === undefined ? latestElapsedAsOf(now, horizonDays) : pastInstant(query.asOf, now);
    const observeUntil = churnWindowEnd(asOf, horizonDays);
    if (observeUntil > now) {
      throw badQuery('asOf', `asOf (${query.asOf}) + ${horizonDays} days ends after now: churn within the horizon is not known yet; `
        + `use asOf at or before ${latestElapsedAsOf(now, horizonDays).toISOString()} or a shorter horizonDays`);
    }
    const replay = await replayStore(this.store, { asOf, axis: query.axis ?? 'occurred', observeUntil });
    return backtestChurnRisk(replay, this.rules, { horizonDays });
  }
}
