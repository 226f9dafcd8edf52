import { Logger, type INestApplication } from '@nestjs/common';
import { closeHeldDataFolders, describeFailure } from '@ahe/database';
import { SHUTDOWN_CONTEXT, SHUTDOWN_SIGNALS } from './graceful-shutdown';
import { writeOnlyLinesOf } from './shutdown-lines-only';

/**
 * SIGTERM and SIGINT before the process listens, and start-up failures. Node's default would end
 * the process mid-start, and a failure inside Nest leaves no app to close: either way the embedded
 * store stayed open and its data folder locked. Start-up (opening the store, migrations, DEMO=1
 * seeding) has no step-by-step cancel, so a signal closes the store under it: the step in progress
 * fails and its transaction rolls back. The process then exits 0, as the graceful shutdown does
 * once it listens: the stop that was asked for has been carried out. A store that fails to close,
 * or closing past `timeoutMs`, exits 1.
 */
export class StartUpGuard {
  private readonly logger = new Logger(SHUTDOWN_CONTEXT);
  /** Set by a signal or a failure: later signals are ignored, since the process is on its way out. */
  private ending = false;
  private stoppedBySignal = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => void this.stop(signal);

  private constructor(private readonly timeoutMs: number) {}

  static arm(timeoutMs: number): StartUpGuard {
    const guard = new StartUpGuard(timeoutMs);
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, guard.onSignal);
    return guard;
  }

  /** Whether a signal has stopped start-up: what start-up does from then on fails or is ignored, and the process exits. */
  get stopped(): boolean {
    return this.stoppedBySignal;
  }

  /** Never settles: the process exits first. */
  readonly exiting = new Promise<never>(() => undefined);

  /** The app listens: signals are the graceful shutdown's from here (enableGracefulShutdown). */
  handOver(): void {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, this.onSignal);
  }

  /** Closes the app if there is one and every store start-up opened, then writes `message` on stderr and exits 1. */
  async failAndExit(message: string, app?: INestApplication): Promise<never> {
    this.ending = true;
    this.exitWhenStuck();
    await app?.close().catch(() => undefined);
    await closeHeldDataFolders().catch(() => undefined);
    Logger.flush();
    process.stderr.write(`${message}\n`);
    return process.exit(1);
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    // A repeated signal (`npm start` forwards Ctrl-C the process got already), or start-up failing.
    if (this.ending) return;
    this.ending = true;
    this.stoppedBySignal = true;
    this.logger.log(`${signal} received during start-up: stopping it and closing the store (forced exit after ${this.timeoutMs} ms)`);
    writeOnlyLinesOf(SHUTDOWN_CONTEXT);
    this.exitWhenStuck();
    let code = 0;
    try {
      await closeHeldDataFolders();
    } catch (error) {
      this.logger.error(`The store did not close: ${describeFailure(error)}`);
      code = 1;
    }
    process.exit(code);
  }

  private exitWhenStuck(): void {
    setTimeout(() => {
      this.logger.error(`Shutdown still running after ${this.timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): forcing exit`);
      Logger.flush();
      process.exit(1);
    }, this.timeoutMs).unref();
  }
}
