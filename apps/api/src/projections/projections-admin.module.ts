import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { ensureProjectionSchema } from '@ahe/projections';
import { ScoringRulesModule } from '../queries/scoring-rules.module';
import { adminProjectionCatalogue } from './admin-projection-catalogue.provider';
import { ProjectionsController } from './projections.controller';

/** GET /v1/projections and POST /v1/projections/:name/rebuild (role admin). */
@Module({
  imports: [ScoringRulesModule],
  controllers: [ProjectionsController],
  providers: [adminProjectionCatalogue],
})
export class ProjectionsAdminModule implements OnModuleInit {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  /**
   * The bookkeeping tables, in case no projector has run on this database yet (server mode):
   * the status list is then empty-handed rather than an error, and a rebuild request waits there.
   */
  async onModuleInit(): Promise<void> {
    await ensureProjectionSchema(this.sql);
  }
}
