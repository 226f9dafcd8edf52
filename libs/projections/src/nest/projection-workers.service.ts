import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, ReadinessRegistry, type AppConfig } from '@ahe/platform';
import { ProjectionEngine } from '../engine/projection-engine';
import { describeError } from '../runner/runner-errors';

const START_RETRY_MS = { first: 1_000, max: 30_000 };

/**
 * Starts the engine once the application has booted, in the background (catching up a long
 * log must not hold the server back, nor must a database that is not there yet: start is
 * retried), and stops it before the store and the database close. Readiness fails while a
 * projection this process serves lags further than PROJECTION_READY_MAX_LAG_SECONDS.
 */
@Injectable()
export class ProjectionWorkers implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private starting?: Promise<void>;
  private shuttingDown = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('projections', async () => {
      const lags = await this.engine.ownedLag();
      const limit = this.config.projections.readyMaxLagSeconds;
      // A frozen generation serves the previous version while the new one builds: by design, not a failure.
      const behind = lags.filter((lag) => !lag.frozen && lag.seconds > limit);
      if (behind.length > 0) {
        throw new Error(`behind the log by more than ${limit} s: ${behind.map((lag) => `${lag.name} (${Math.round(lag.seconds)} s, ${lag.events} events)`).join(', ')}`);
      }
      return { owned: lags.map((lag) => lag.name) };
    });
  }

  onApplicationBootstrap(): void {
    this.startInBackground(START_RETRY_MS.first);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearTimeout(this.retry);
    await this.starting;
    await this.engine.stop();
    this.logger.log('Projection engine stopped');
  }

  private startInBackground(nextDelayMs: number): void {
    if (this.shuttingDown) return;
    this.starting = this.engine.start().then(
      () => this.logger.log(`Projection engine started; running here: ${this.engine.owned().join(', ') || 'none (other processes hold them)'}`),
      (error) => {
        if (this.shuttingDown) return;
        this.logger.error(`Projection engine could not start: ${describeError(error)}; retrying in ${nextDelayMs} ms`);
        this.retry = setTimeout(() => this.startInBackground(Math.min(nextDelayMs * 2, START_RETRY_MS.max)), nextDelayMs);
      },
    );
  }
}
