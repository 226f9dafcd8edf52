import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '@ahe/platform';
import { churnWindowEnd, latestElapsedAsOf, type ChurnBacktest } from '@ahe/read-models';
import { badQuery } from '../queries/dto/bad-query';
import { BacktestAnswers } from './backtest-answers';
import { BACKTEST_RETRY_AFTER_S, BacktestBusyError } from './backtest-busy.error';
import { pastInstant } from './dto/analytics-query-fields';
import { BacktestDto } from './dto/backtest.dto';
import { BacktestQueryDto, DEFAULT_HORIZON_DAYS } from './dto/backtest.query';

/** Says how the answer was served: cache, shared (a replay another request started) or replay. */
export const BACKTEST_SERVED_HEADER = 'x-backtest-served';

/** API.md `GET /v1/analytics/backtest`: how well churnRisk as of a past instant foretold the churn that followed. */
@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/analytics/backtest')
export class BacktestController {
  constructor(@Inject(BacktestAnswers) private readonly answers: BacktestAnswers) {}

  @Get()
  @ApiOperation({
    summary: 'churnRisk as of asOf against churn (RenewalLost, AccountClosed) within horizonDays: AUC, ROC, lift by decile, calibration by band. '
      + 'A new question replays the whole log; answers are kept until an event that changes them arrives',
  })
  @ApiOkResponse({ type: BacktestDto, headers: { [BACKTEST_SERVED_HEADER]: { description: 'cache, shared or replay', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'A bad parameter, asOf in the future, or a horizon that has not elapsed yet; field names it' })
  @ApiServiceUnavailableResponse({ description: 'BACKTEST_BUSY: the question needs a replay and the process already runs as many as it allows; see Retry-After' })
  async backtest(@Query() query: BacktestQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChurnBacktest> {
    const now = new Date();
    const horizonDays = query.horizonDays ?? DEFAULT_HORIZON_DAYS;
    const asOf = query.asOf === undefined ? defaultAsOf(now, horizonDays) : pastInstant(query.asOf, now);
    if (churnWindowEnd(asOf, horizonDays) > now) {
      throw badQuery('asOf', `asOf (${query.asOf}) + ${horizonDays} days ends after now: churn within the horizon is not known yet; `
        + `use asOf at or before ${latestElapsedAsOf(now, horizonDays).toISOString()} or a shorter horizonDays`);
    }
    try {
      const { backtest, served } = await this.answers.answer({ asOf, axis: query.axis ?? 'occurred', horizonDays });
      reply.header(BACKTEST_SERVED_HEADER, served);
      return backtest;
    } catch (error) {
      if (error instanceof BacktestBusyError) reply.header('Retry-After', String(BACKTEST_RETRY_AFTER_S));
      throw error;
    }
  }
}

/**
 * The last UTC midnight whose horizon has elapsed: the same question all day, so requests
 * without asOf share one replay and its kept answer instead of each being new to the millisecond.
 */
function defaultAsOf(now: Date, horizonDays: number): Date {
  const latest = latestElapsedAsOf(now, horizonDays);
  return new Date(Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth(), latest.getUTCDate()));
}
