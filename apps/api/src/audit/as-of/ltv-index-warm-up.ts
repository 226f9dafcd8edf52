import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { accountIdOfStream } from '@ahe/domain';
import { APP_CONFIG, StrictValidationPipe, type AppConfig } from '@ahe/platform';
import { startLtvFitWorker, type AsOfInstant } from '@ahe/read-models';
import { AccountAsOfReader } from './account-as-of.reader';
import { AccountSnapshotCache } from './account-snapshots.cache';
import { AsOfQueryDto, DEFAULT_AXIS } from './dto/as-of.query';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

/**
 * With AS_OF_WARM_UP (off by default: every API process would otherwise read the whole log at
 * every start, and hold the index, whether or not anyone reads as of an instant), does in the
 * background, once the server listens, what the first as-of request of the process (an LTV fit,
 * a health as of an instant) would otherwise pay for: it reads the log into the as-of LTV index
 * (LtvModelsAsOfCache; ~0.5 s at 10,000 events, tens of seconds at a million), takes the
 * snapshots of the longest account streams the log read found (AccountSnapshotCache; ~0.4 s of
 * CPU for a 10,000-event stream), starts the LTV fit thread meanwhile (~0.1-0.3 s loading its
 * modules), then rehearses an as-of read of now (rehearse), whose fit it does not keep.
 * It starts only after listening, so neither start-up nor readiness waits for it, and it reads a
 * page at a time, leaving the event loop between pages. A request that arrives meanwhile queues
 * behind the log read (the cache runs its catch-ups one after another) and reads only what was
 * appended since: the log is never read twice. On a short log (the embedded store of a test or a
 * demo) it is one small read. Should it fail, nothing is lost: the first as-of requests do what is left.
 */
@Injectable()
export class LtvIndexWarmUp implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AsOf');
  /** A read cut short by the store closing under it is no failure worth a warning. */
  private closing = false;
  private settle!: () => void;
  /**
   * Resolves once the background warm-up has ended, done or not: for a caller that must measure
   * the steady state (the benchmarks), not a process still reading its log.
   */
  readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    @Inject(LtvModelsAsOfCache) private readonly cache: LtvModelsAsOfCache,
    @Inject(AccountSnapshotCache) private readonly snapshots: AccountSnapshotCache,
    @Inject(AccountAsOfReader) private readonly reader: AccountAsOfReader,
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

  /** Resolves once the index holds the log as it was when the warm-up's turn came, the snapshots are taken and the rehearsal done; never rejects. */
  async warmUp(): Promise<void> {
    const started = Date.now();
    // On its own thread, while this one reads the log; awaited below, which reports a failure.
    const fitThread = startLtvFitWorker();
    fitThread.catch(() => undefined);
    try {
      await this.cache.catchUp();
      const indexedMs = Date.now() - started;
      const streams = await this.snapshots.takeLongest(this.cache.longStreams);
      await fitThread;
      await this.rehearse();
      if (!this.closing) {
        this.logger.log(`as-of warm-up done in the background in ${Date.now() - started} ms: LTV index of ${this.cache.indexedEvents} account events `
          + `(${indexedMs} ms), snapshots of ${streams} long streams (${this.snapshots.size} in all), LTV fit thread started, an as-of read rehearsed`);
      }
    } catch (error) {
      if (this.closing) return;
      this.logger.warn(`as-of warm-up cut short (the first as-of requests will do what is left): ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.settle();
    }
  }

  /**
   * What a first as-of request would run for the first time, run once here, unaudited: its query
   * validated (class-validator looks the DTO's rules up once), then the health of the longest
   * account now (its stream read and folded, scored, and a fit of the portfolio posted to the fit
   * thread and not kept), or the fit alone when no stream is long.
   */
  private async rehearse(): Promise<void> {
    const now = new Date();
    await new StrictValidationPipe().transform({ asOf: now.toISOString().slice(0, 10), axis: DEFAULT_AXIS }, { type: 'query', metatype: AsOfQueryDto });
    const asOf: AsOfInstant = { at: now, axis: DEFAULT_AXIS };
    const longest = [...this.cache.longStreams].reduce<[string, number] | undefined>((max, stream) => (max === undefined || stream[1] > max[1] ? stream : max), undefined);
    const accountId = longest === undefined ? null : accountIdOfStream(longest[0]);
    if (accountId === null) await this.cache.modelsAsOf(asOf, { keep: false });
    else await this.reader.health(accountId, asOf, { keepFit: false });
  }
}
