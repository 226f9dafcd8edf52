import { Controller, Get, Inject, Param, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountNotFoundError } from '@ahe/domain';
import { Roles } from '@ahe/platform';
import { HealthQueries, InvalidCursorError, type AccountHealthView, type HealthListQuery, type Page } from '@ahe/read-models';
import { AccountIdParams } from '../accounts/dto/account-id.params';
import { jsonOrCsv, linkNextPage } from './csv/csv-reply';
import { HEALTH_CSV_COLUMNS } from './csv/read-model.columns';
import { assertDateRange, badQuery } from './dto/bad-query';
import { HealthHistoryQueryDto } from './dto/health-history.query';
import { HealthListQueryDto, toHealthListQuery } from './dto/health-list.query';
import { AccountHealthViewDto, HealthHistoryDto, HealthPageDto } from './dto/health-view.dto';
import { NoQueryParamsPipe } from './dto/no-query.pipe';
import { ReadModelUnavailableInterceptor } from './read-model-unavailable.interceptor';

/** API.md "Queries": the account_health read model, read directly (no domain in between). */
@ApiTags('queries')
@Roles('analyst')
@UseInterceptors(ReadModelUnavailableInterceptor)
@Controller('v1/health')
export class HealthController {
  constructor(@Inject(HealthQueries) private readonly queries: HealthQueries) {}

  @Get()
  @ApiOperation({ summary: 'Accounts by health, filtered and paged; Accept: text/csv for CSV (next page in Link and X-Next-Cursor)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: HealthPageDto })
  @ApiBadRequestResponse({ description: 'A bad parameter or cursor; message and field name it' })
  async list(
    @Query() query: HealthListQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthPageDto | string> {
    const page = await this.page(toHealthListQuery(query));
    linkNextPage(request, reply, page.nextCursor);
    return jsonOrCsv(request, reply, page, { columns: HEALTH_CSV_COLUMNS, rows: page.items });
  }

  @Get(':accountId')
  @ApiOperation({ summary: "The account's health row, its time-based factors re-scored now" })
  @ApiOkResponse({ type: AccountHealthViewDto })
  @ApiNotFoundResponse({ description: 'No such account (or not projected yet)' })
  async get(@Param() { accountId }: AccountIdParams, @Query(NoQueryParamsPipe) _query: unknown): Promise<AccountHealthView> {
    const view = await this.queries.get(accountId, new Date());
    if (view === null) throw new AccountNotFoundError(accountId);
    return view;
  }

  @Get(':accountId/history')
  @ApiOperation({ summary: 'Daily, weekly or monthly series of churnRisk, band, satisfaction and LTV' })
  @ApiOkResponse({ type: HealthHistoryDto })
  @ApiBadRequestResponse({ description: 'A bad parameter, or from after to' })
  @ApiNotFoundResponse({ description: 'No such account' })
  async history(@Param() { accountId }: AccountIdParams, @Query() query: HealthHistoryQueryDto): Promise<HealthHistoryDto> {
    assertDateRange(query.from, query.to);
    const interval = query.interval ?? 'day';
    const items = await this.queries.history({ accountId, from: query.from, to: query.to, interval });
    if (items === null) throw new AccountNotFoundError(accountId);
    return { accountId, interval, items };
  }

  private async page(query: HealthListQuery): Promise<Page<AccountHealthView>> {
    try {
      return await this.queries.list(query);
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw badQuery('cursor', `cursor is not valid for this query: ${error.message}`, 'INVALID_CURSOR');
      }
      throw error;
    }
  }
}
