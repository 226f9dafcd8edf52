import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@ahe/platform';
import { EscalationQueries, InvalidCursorError, type EscalationView } from '@ahe/read-models';
import { linkNextPage } from '../queries/csv/csv-reply';
import { badQuery } from '../queries/dto/bad-query';
import { NoQueryParamsPipe } from '../queries/dto/no-query.pipe';
import { ReadModelUnavailableFilter } from '../queries/read-model-unavailable.filter';
import { EscalationIdParams } from './dto/escalation-id.params';
import { EscalationListQueryDto, toEscalationListQuery } from './dto/escalation-list.query';
import { EscalationPageDto, EscalationViewDto } from './dto/escalation-view.dto';
import { escalationNotFound } from './escalation-not-found';

/** API.md "Escalations", the reads: the escalations read model, read directly. */
@ApiTags('escalations')
@Roles('analyst')
@UseFilters(ReadModelUnavailableFilter)
@Controller('v1/escalations')
export class EscalationsController {
  constructor(@Inject(EscalationQueries) private readonly queries: EscalationQueries) {}

  @Get()
  @ApiOperation({ summary: 'Escalations, newest first, filtered and paged (next page also in Link and X-Next-Cursor)' })
  @ApiOkResponse({ type: EscalationPageDto })
  @ApiBadRequestResponse({ description: 'A bad parameter or cursor; message and field name it' })
  async list(@Query() query: EscalationListQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<EscalationPageDto> {
    try {
      const page = await this.queries.list(toEscalationListQuery(query));
      linkNextPage(request, reply, page.nextCursor);
      return page;
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badQuery('cursor', `cursor is not valid: ${error.message}`, 'INVALID_CURSOR');
      throw error;
    }
  }

  @Get(':escalationId')
  @ApiOperation({ summary: 'One escalation' })
  @ApiOkResponse({ type: EscalationViewDto })
  @ApiNotFoundResponse({ description: 'No such escalation (or not projected yet)' })
  async get(@Param() { escalationId }: EscalationIdParams, @Query(NoQueryParamsPipe) _query: unknown): Promise<EscalationView> {
    const view = await this.queries.get(escalationId);
    if (view === null) throw escalationNotFound(escalationId);
    return view;
  }
}
