import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SqlClient } from '@ahe/database';
import { Roles, SQL_CLIENT } from '@ahe/platform';
import { portfolioRollups } from '@ahe/read-models';
import { jsonOrCsv } from './csv/csv-reply';
import { PORTFOLIO_CSV_COLUMNS } from './csv/read-model.columns';
import { PortfolioQueryDto } from './dto/portfolio.query';
import { PortfolioDto } from './dto/rollup-views.dto';
import { ReadModelUnavailableFilter } from './read-model-unavailable.filter';

@ApiTags('queries')
@Roles('analyst')
@UseFilters(ReadModelUnavailableFilter)
@Controller('v1/portfolio')
export class PortfolioController {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  @Get()
  @ApiOperation({ summary: 'Rollups per manager or segment: accounts per band, revenue at risk, expected LTV; Accept: text/csv for CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: PortfolioDto })
  @ApiBadRequestResponse({ description: 'A bad parameter; message and field name it' })
  async portfolio(
    @Query() query: PortfolioQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PortfolioDto | string> {
    const groupBy = query.groupBy ?? 'manager';
    const items = await portfolioRollups(this.sql, groupBy);
    return jsonOrCsv(request, reply, { groupBy, items }, { columns: PORTFOLIO_CSV_COLUMNS, rows: items });
  }
}
