import type { SqlQueryable } from '@ahe/database';
import type { ProjectionDefinition } from '@ahe/projections';

/** What the admin routes need of a projection: its code, or what its stored generations say of it. */
export type CataloguedProjection = Pick<ProjectionDefinition, 'name' | 'version' | 'batchSize'>;

/**
 * The projections GET /v1/projections lists and POST /v1/projections/:name/rebuild accepts.
 * In server mode the api process runs none of them: it knows the read models' code (their versions
 * come from the same rules as the projectors'), but not the escalation process manager's, which
 * needs the escalation queues and rules of apps/escalations. Such a projection is listed once a
 * process has run it, from its stored generations, and a rebuild request for it waits in
 * projection_rebuild_requests for its owner, as one for a read model does.
 */
export class AdminProjectionCatalogue {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly known: readonly ProjectionDefinition[],
    /** False where this process runs the projections itself: every one it could list is among `known`. */
    private readonly withRunElsewhere: boolean,
  ) {}

  async projections(): Promise<readonly CataloguedProjection[]> {
    if (!this.withRunElsewhere) return this.known;
    return [...this.known, ...(await this.runElsewhere())];
  }

  /**
   * Projections with a generation behind their views (serving, or stale while a new version is
   * built) that this process has no code for. The version is the newest generation's, the one its
   * owner's code set up last; no code here to compare it with, the status says stale only where
   * the owner froze the serving generation.
   */
  private async runElsewhere(): Promise<CataloguedProjection[]> {
    const { rows } = await this.sql.query<{ name: string; version: string }>(
      `SELECT DISTINCT ON (name) name, version FROM projection_generations
       WHERE status IN ('serving', 'stale', 'building') AND name <> ALL($1::text[])
         AND name IN (SELECT name FROM projection_generations WHERE status IN ('serving', 'stale'))
       ORDER BY name, generation DESC`,
      [this.known.map((definition) => definition.name)],
    );
    return rows;
  }
}
