import { Controller, Get, Inject, Optional, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountNotFoundError } from '@ahe/domain';
import { CurrentPrincipal, Roles, type Principal } from '@ahe/platform';
import { HealthQueries, type AccountHealthView } from '@ahe/read-models';
import { AccountIdParams } from '../accounts/dto/account-id.params';
import { AccountAsOfReader } from '../audit/as-of/account-as-of.reader';
import { assertMayReadAsOf } from '../audit/as-of/as-of-roles';
import { AuditRead } from '../audit/trail';
import { asOfInstantOf, AsOfQueryDto } from '../audit/as-of/dto/as-of.query';
import { jsonTextOrCsv, linkNextPage } from './csv/csv-reply';
import { HEALTH_CSV_COLUMNS } from './csv/read-model.columns';
import { dayOf } from '../accounts/dto/fields';
import { assertDateRange, badQuery, readPage } from './dto/bad-query';
import { AccountHealthAsOfViewDto } from './dto/health-as-of.dto';
import { HealthHistoryQueryDto } from './dto/health-history.query';
import { HealthListQueryDto, toHealthListQuery } from './dto/health-list.query';
import { HealthHistoryDto, HealthPageDto } from './dto/health-view.dto';
import { ReadModelUnavailableFilter } from './read-model-unavailable.filter';

/** API.md "Queries": the account_health read model, read directly (no domain in between). */
@ApiTags('queries')
@Roles('analyst')
@UseFilters(ReadModelUnavailableFilter)
@Controller('v1/health')
export class HealthController {
  constructor(
    @Inject(HealthQueries) private readonly queries: HealthQueries,
    // From the global AsOfModule (apps/api/src/audit/as-of), registered beside this module.
    @Optional() @Inject(AccountAsOfReader) private readonly asOfReader?: AccountAsOfReader,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Accounts by health, filtered and paged; Accept: text/csv for CSV (next page in Link and X-Next-Cursor)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: HealthPageDto })
  @ApiBadRequestResponse({ description: 'A bad parameter or cursor; message and field name it' })
  async list(
    @Query() query: HealthListQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const listQuery = toHealthListQuery(query);
    const linked = async <Read extends { readonly nextCursor: string | null }>(read: () => Promise<Read>): Promise<Read> => {
      const page = await readPage(read);
      linkNextPage(request, reply, page.nextCursor);
      return page;
    };
    return jsonTextOrCsv(
      request,
      reply,
      // A HealthPageDto's JSON, written by the database item by item (about 49 KB a 50-row page).
      async () => (await linked(() => this.queries.listJson(listQuery))).json,
      { columns: HEALTH_CSV_COLUMNS, rows: async () => (await linked(() => this.queries.list(listQuery))).items },
    );
  }

  @Get(':accountId')
  @Roles('analyst', 'auditor')
  @AuditRead({ whenQueryHas: 'asOf' })
  @ApiOperation({
    summary: "The account's health row, its time-based factors re-scored now; with asOf (role auditor) the row as it would have been "
      + 'at that instant on the axis, replayed from the log with the same projection code',
  })
  @ApiOkResponse({ type: AccountHealthAsOfViewDto })
  @ApiBadRequestResponse({ description: 'A bad or future asOf, axis without asOf, or an unknown parameter; field names it' })
  @ApiForbiddenResponse({ description: 'asOf without the role auditor (or admin)' })
  @ApiNotFoundResponse({ description: 'No such account (or not projected yet); with asOf, not opened yet at that instant (ACCOUNT_NOT_YET_OPENED)' })
  async get(
    @Param() { accountId }: AccountIdParams,
    @Query() query: AsOfQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AccountHealthView | AccountHealthAsOfViewDto> {
    if (query.asOf === undefined) {
      if (query.axis !== undefined) throw badQuery('axis', 'axis applies to an as-of read: give asOf as well (without asOf the row is the live one)');
      const view = await this.queries.get(accountId, new Date());
      if (view === null) throw new AccountNotFoundError(accountId);
      return view;
    }
    assertMayReadAsOf(principal);
    if (this.asOfReader === undefined) throw new Error('AsOfModule is not registered: GET /v1/health/:accountId?asOf= has no reader');
    const asOf = asOfInstantOf(query, new Date());
    return { ...(await this.asOfReader.health(accountId, asOf)), asOf: asOf.at.toISOString(), axis: asOf.axis };
  }

  @Get(':accountId/history')
  @ApiOperation({ summary: 'Daily, weekly or monthly series of churnRisk, band, satisfaction and LTV' })
  @ApiOkResponse({ type: HealthHistoryDto })
  @ApiBadRequestResponse({ description: 'A bad parameter, or from after to' })
  @ApiNotFoundResponse({ description: 'No such account' })
  async history(@Param() { accountId }: AccountIdParams, @Query() query: HealthHistoryQueryDto): Promise<HealthHistoryDto> {
    const [from, to] = [dayOf(query.from), dayOf(query.to)];
    assertDateRange(from, to);
    const interval = query.interval ?? 'day';
    const items = await this.queries.history({ accountId, from, to, interval });
    if (items === null) throw new AccountNotFoundError(accountId);
    return { accountId, interval, items };
  }
}
