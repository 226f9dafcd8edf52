import { Global, Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { ensureProjectionSchema } from '../schema/projection-schema';
import { definitionsProvider, PROJECTION_DEFINITIONS, type ProjectionModuleOptions } from './projection-definitions.provider';

/** The bookkeeping tables must exist before a status is read or a rebuild requested, projector running or not. */
@Injectable()
class ProjectionSchema implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  onModuleInit(): Promise<void> {
    return ensureProjectionSchema(this.sql);
  }
}

/**
 * The projection definitions without an engine: what the API process needs in server mode to
 * answer GET /v1/projections (readProjectionStatuses) and accept rebuild requests
 * (requestRebuild), while apps/projector runs them. Global, so controllers inject
 * PROJECTION_DEFINITIONS without importing it.
 */
@Global()
@Module({})
export class ProjectionCatalogModule {
  static forRoot(options: ProjectionModuleOptions): DynamicModule {
    return {
      module: ProjectionCatalogModule,
      providers: [definitionsProvider(options), ProjectionSchema],
      exports: [PROJECTION_DEFINITIONS],
    };
  }
}
