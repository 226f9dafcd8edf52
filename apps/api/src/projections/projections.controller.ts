import { Controller, Get, HttpCode, HttpStatus, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { APP_CONFIG, CurrentPrincipal, EVENT_STORE, Roles, SQL_CLIENT, type AppConfig, type Principal } from '@ahe/platform';
import { readProjectionStatuses, requestRebuild, UnknownProjectionError, type ProjectionStatus } from '@ahe/projections';
import { AdminProjectionCatalogue, type CataloguedProjection } from './admin-projection-catalogue';
import { ProjectionNameParams } from './projection-name.params';

export interface RebuildRequested {
  readonly name: string;
  readonly status: 'requested';
  /** The request's id in projection_rebuild_requests. */
  readonly requestId: number;
  readonly requestedAt: string;
}

/** API.md "Operations": what each projection has done and a blue/green rebuild on demand. */
@ApiTags('operations')
@Roles('admin')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AdminProjectionCatalogue) private readonly catalogue: AdminProjectionCatalogue,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every projection: version, generation, status, position and lag, throughput, owner, parked events, rebuild' })
  @ApiOkResponse({
    description: '{ items: [{ name, version, generation, status, position, lag, parked, rebuild, … }] }; rebuild.status is held, with the ' +
      'reason in rebuild.held and its events in rebuild.parked, when the new generation parked events the serving one did not: it is not swapped in',
  })
  async list(): Promise<{ items: readonly ProjectionStatus[] }> {
    const { batchSize, lockRetryMs } = this.config.projections;
    const definitions = await this.catalogue.projections();
    const items = await readProjectionStatuses(this.sql, { definitions, store: this.store, now: new Date(), batchSize, lockRetryMs });
    return { items };
  }

  @Post(':name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Rebuild into a new generation from the start of the log; the current one serves until the swap' })
  @ApiAcceptedResponse({
    description: '{ name, status: "requested", requestId, requestedAt }: the process that owns the projection builds it; follow it in GET /v1/projections. ' +
      'A request replaces a generation held back from its swap (rebuild.status held)',
  })
  @ApiNotFoundResponse({ description: 'No projection of that name' })
  async rebuild(@Param() { name }: ProjectionNameParams, @CurrentPrincipal() principal: Principal): Promise<RebuildRequested> {
    const definitions = await this.catalogue.projections();
    if (!definitions.some((definition) => definition.name === name)) throw this.unknown(name, definitions);
    try {
      const request = await requestRebuild(this.sql, name, { reason: 'POST /v1/projections/:name/rebuild', requestedBy: principal.actor, definitions });
      return { name, status: 'requested', requestId: request.id, requestedAt: request.requestedAt };
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw this.unknown(name, definitions);
      throw error;
    }
  }

  private unknown(name: string, definitions: readonly CataloguedProjection[]): NotFoundException {
    const known = definitions.map((definition) => definition.name);
    return new NotFoundException({
      message: `No projection is named ${name}; known: ${known.join(', ')}`,
      code: 'PROJECTION_NOT_FOUND',
      field: 'name',
      details: { known },
    });
  }
}
