import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { EVENT_STORE, Roles, SQL_CLIENT } from '@ahe/platform';
import { ltvModelsAsOfInWorker, readLtvModels, type LtvModels } from '@ahe/read-models';
import { pastInstant } from './dto/analytics-query-fields';
import { LtvModelsDto } from './dto/ltv-models.dto';
import { LtvModelsQueryDto } from './dto/ltv-models.query';
import { replayStore } from './event-log';

/** API.md `GET /v1/ltv/models`: the fitted LTV models, now or reproduced as of any past instant. */
@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/ltv/models')
export class LtvModelsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'sBG per segment, BG/NBD and Gamma-Gamma, with log-likelihood and n; ?asOf= refits on the history as of then (reads the whole log)' })
  @ApiOkResponse({ type: LtvModelsDto })
  @ApiBadRequestResponse({ description: 'A bad parameter, or asOf in the future; field names it' })
  async models(@Query() query: LtvModelsQueryDto): Promise<LtvModels> {
    const now = new Date();
    const axis = query.axis ?? 'occurred';
    if (query.asOf !== undefined) return ltvModelsAsOfInWorker(await replayStore(this.store, { asOf: pastInstant(query.asOf, now), axis }));
    // Until the projection's first refit (or without a projector yet) the answer is still a fit of now.
    return (await readLtvModels(this.sql)) ?? ltvModelsAsOfInWorker(await replayStore(this.store, { asOf: now, axis }));
  }
}
