import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@ahe/platform';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

/**
 * With AS_OF_WARM_UP (off by default: every API process would otherwise read the whole log at
 * every start, and hold the index, whether or not anyone reads as of an instant), reads the log
 * into the as-of LTV index (LtvModelsAsOfCache) in the background once the server listens, so that the first as-of request of the process (an LTV fit, a health as of an instant)
 * does not pay for it: ~0.5 s at 10,000 events, tens of seconds at a million. It starts only
 * after listening, so neither start-up nor readiness waits for it, and it reads a page at a time,
 * leaving the event loop between pages. A request that arrives meanwhile queues behind it (the
 * cache runs its catch-ups one after another) and reads only what was appended since: the log is
 * never read twice. On a short log (the embedded store of a test or a demo) it is one small read.
 * Should it fail, nothing is lost: the first as-of request reads the log, as it would have.
 */
@Injectable()
export class LtvIndexWarmUp implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AsOf');
  /** A read cut short by the store closing under it is no failure worth a warning. */
  private closing = false;
  private settle!: () => void;
  /**
   * Resolves once the background build has ended, built or not: for a caller that must measure
   * the steady state (the benchmarks), not a process still reading its log.
   */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    @Inject(LtvModelsAsOfCache) private readonly cache: LtvModelsAsOfCache,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'asOfWarmUp'>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.asOfWarmUp) return this.settle();
    this.host.httpAdapter?.getHttpServer()?.once('listening', () => void this.warmUp());
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
  }

  /** Resolves once the index holds the log as it was when the warm-up's turn came; never rejects. */
  async warmUp(): Promise<void> {
    const started = Date.now();
    try {
      await this.cache.catchUp();
      if (!this.closing) this.logger.log(`as-of LTV index built in the background: ${this.cache.indexedEvents} account events in ${Date.now() - started} ms`);
    } catch (error) {
      if (this.closing) return;
      this.logger.warn(`as-of LTV index not built in the background (the first as-of request will read the log): ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.settle();
    }
  }
}
