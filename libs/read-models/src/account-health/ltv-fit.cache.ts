import type { SqlQueryable } from '@ahe/database';
import { readLtvModels, type LtvModels } from '../ltv';

/**
 * The current LTV fit, kept in memory by its fit_id. The id names the fit exactly (the log
 * position and the instant it was fitted as of; fitting is deterministic), so a reader that
 * learns the serving fit's id with its own query reads the models only when the id changes.
 */
export class LtvFitCache {
  private current: LtvModels | null = null;
  private loading: Promise<LtvModels | null> | null = null;

  constructor(private readonly sql: SqlQueryable) {}

  /** The models of fit `fitId` (null: no fit stored). */
  async models(fitId: string | null): Promise<LtvModels | null> {
    if (fitId === null) return null;
    if (this.current?.fitId === fitId) return this.current;
    // Concurrent requests after a refit share one read.
    this.loading ??= readLtvModels(this.sql).finally(() => (this.loading = null));
    let models = await this.loading;
    // A shared read that began before this caller's fit was written: read again for it.
    if (models !== null && models.fitId !== fitId) models = await readLtvModels(this.sql);
    if (models !== null) this.current = models;
    return models;
  }
}
