import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SqlClient } from '@ahe/database';
import { Roles, SQL_CLIENT } from '@ahe/platform';
import { satisfactionTrends } from '@ahe/read-models';
import { jsonOrCsv, linkNextPage } from './csv/csv-reply';
import { TREND_CSV_COLUMNS } from './csv/read-model.columns';
import { dayOf } from '../accounts/dto/fields';
import { assertDateRange, readPage } from './dto/bad-query';
import { numberOfQueryText } from './dto/query-text-number.field';
import { SatisfactionTrendsDto } from './dto/rollup-views.dto';
import { DEFAULT_TREND_PAGE_SIZE, SatisfactionTrendsQueryDto } from './dto/satisfaction-trends.query';
import { ReadModelUnavailableFilter } from './read-model-unavailable.filter';

@ApiTags('queries')
@Roles('analyst')
@UseFilters(ReadModelUnavailableFilter)
@Controller('v1/satisfaction/trends')
export class SatisfactionTrendsController {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  @Get()
  @ApiOperation({
    summary: 'Satisfaction (csat and nps on 0–100, NPS) per account, segment or manager, per week or month, paged by key then period; '
      + 'Accept: text/csv for CSV (next page in Link and X-Next-Cursor)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SatisfactionTrendsDto })
  @ApiBadRequestResponse({ description: 'A bad parameter or cursor, or from after to; message and field name it' })
  async trends(
    @Query() query: SatisfactionTrendsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SatisfactionTrendsDto | string> {
    const [from, to] = [dayOf(query.from), dayOf(query.to)];
    assertDateRange(from, to);
    const groupBy = query.groupBy ?? 'segment';
    const interval = query.interval ?? 'month';
    const limit = numberOfQueryText(query.limit) ?? DEFAULT_TREND_PAGE_SIZE;
    const { items, nextCursor } = await readPage(() =>
      satisfactionTrends(this.sql, { groupBy, interval, key: query.key, from, to }, { limit, cursor: query.cursor }),
    );
    linkNextPage(request, reply, nextCursor);
    return jsonOrCsv(request, reply, { groupBy, interval, items, nextCursor }, { columns: TREND_CSV_COLUMNS, rows: items });
  }
}
