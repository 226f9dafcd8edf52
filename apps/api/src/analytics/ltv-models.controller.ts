import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlClient } from '@ahe/database';
import { Roles, SQL_CLIENT } from '@ahe/platform';
import { readLtvModels, type LtvModels } from '@ahe/read-models';
import { LtvModelsAsOfCache } from '../audit/as-of/ltv-models-as-of.cache';
import { pastInstant } from './dto/analytics-query-fields';
import { LtvModelsDto } from './dto/ltv-models.dto';
import { LtvModelsQueryDto } from './dto/ltv-models.query';

/**
 * API.md `GET /v1/ltv/models`: the fitted LTV models, now or reproduced as of any past instant.
 * The as-of fits come from the process's LtvModelsAsOfCache, the one the as-of health reads
 * score with: the same fit a replay of the whole log gives, without replaying it per request.
 */
@ApiTags('analytics')
@Roles('analyst')
@Controller('v1/ltv/models')
export class LtvModelsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(LtvModelsAsOfCache) private readonly fits: LtvModelsAsOfCache,
  ) {}

  @Get()
  @ApiOperation({ summary: 'sBG per segment, BG/NBD and Gamma-Gamma, with log-likelihood and n; ?asOf= refits on the history as of then (the first as-of request of the process reads the whole log)' })
  @ApiOkResponse({ type: LtvModelsDto })
  @ApiBadRequestResponse({ description: 'A bad parameter, or asOf in the future; field names it' })
  async models(@Query() query: LtvModelsQueryDto): Promise<LtvModels> {
    const now = new Date();
    const axis = query.axis ?? 'occurred';
    if (query.asOf !== undefined) return this.fits.modelsAsOf({ at: pastInstant(query.asOf, now), axis });
    // Until the projection's first refit (or without a projector yet) the answer is still a fit of now.
    // A fit of now is never asked for again: not kept, so it evicts no auditor's as-of fit.
    return (await readLtvModels(this.sql)) ?? this.fits.modelsAsOf({ at: now, axis }, { keep: false });
  }
}
