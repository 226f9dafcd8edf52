import type { SqlQueryable } from '@ahe/database';
import { ESCALATION_PROCESS_MANAGER } from '@ahe/escalations';
import type { ProjectionDefinition } from '@ahe/projections';

/** What the admin routes need of a projection: its code, or what its stored generations say of it. */
export type CataloguedProjection = Pick<ProjectionDefinition, 'name' | 'version' | 'batchSize'>;

/**
 * Projections whose code only another process has: the escalation process manager needs the
 * escalation queues and rules of apps/escalations (or of the all-in-one process's workers module).
 * A name that is not here and not a read model, left in the tables by code since removed, is
 * not listed: nobody would ever answer its rebuild request.
 */
const RUN_BY_OTHERS = [ESCALATION_PROCESS_MANAGER];

/**
 * The projections GET /v1/projections lists and POST /v1/projections/:name/rebuild accepts: the
 * read models, whose code the api has (their versions come from the same rules as the
 * projectors'), and those RUN_BY_OTHERS once a process has run them, from their stored
 * generations. A rebuild request for one waits in projection_rebuild_requests for its owner, as
 * one for a read model does.
 */
export class AdminProjectionCatalogue {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly readModels: readonly ProjectionDefinition[],
  ) {}

  async projections(): Promise<readonly CataloguedProjection[]> {
    return [...this.readModels, ...(await this.runByOthers())];
  }

  /**
   * Those with a generation behind their views (serving, or stale while a new version is built).
   * The version is the newest generation's, the one its owner's code set up last; with no code
   * here to compare it with, the status says stale only where the owner froze the serving one.
   */
  private async runByOthers(): Promise<CataloguedProjection[]> {
    const { rows } = await this.sql.query<{ name: string; version: string }>(
      `SELECT DISTINCT ON (name) name, version FROM projection_generations
       WHERE status IN ('serving', 'stale', 'building') AND name = ANY($1::text[])
         AND name IN (SELECT name FROM projection_generations WHERE status IN ('serving', 'stale'))
       ORDER BY name, generation DESC`,
      [RUN_BY_OTHERS],
    );
    return rows;
  }
}
