import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { describeFailure } from '@ahe/database';
import { loadConfig } from '@ahe/platform/config';
import type { ProjectionDefinition, ReplayComparison, ReplayProgress, ReplayVerifyReport } from '@ahe/projections';
import { checking } from './cli-output';
import { openCliStore, type CliStore } from './cli-store';
import { EXIT } from './exit-codes';
import { positiveInteger } from './import.command';
import { interruptible } from './interruptible';

/**
 * The one list of what `ahe replay --verify` does not compare between the live read models and
 * a replay of the log, and why (docs/read-models.md explains each column). Everything else is
 * compared exactly. account_health's time-based values (churn_risk, band, factors,
 * satisfaction_*, overdue_invoices, days_since_last_contact, the LTV columns, rescore_at, and
 * the portfolio rows that sum them) ARE compared: both sides are re-scored by the projection's
 * own refresh at one instant, with the one current LTV fit, first. A live row due for that
 * refresh (its rescore_at passed, or scored with another fit than the current one) gets its
 * time-based values recomputed there, as the live refresh itself will do within
 * HEALTH_REFRESH_INTERVAL_MS, so a change made to those values of such a row is not seen; a row
 * not due keeps its stored values and is compared on them. Facts, revision, position and the
 * other event-derived columns are never recomputed, so they are always compared as stored.
 */
export const READ_MODEL_REPLAY_COMPARISON: ReplayComparison = {
  refreshedAtOneInstant: ['account_health'],
  ignoredColumns: {
    account_health: {
      scored_at: 'when the row was last scored (a batch or a refresh, whenever it ran); the values scored are compared',
    },
    health_history: {
      ltv_expected: 'computed with the LTV fit current when the row was written, and a refit does not rewrite history',
      ltv_total: 'ltv_realized + ltv_expected',
    },
  },
  ignoredTables: {
    ltv_models: 'the fitted models: refits run on a wall-clock debounce, so their instants, ids and parameters depend on when ' +
      'the live process ran them; a replay applies batches only, and both sides of account_health use the live fit',
  },
};

interface ReplayOptions {
  readonly verify?: boolean;
  readonly maxRows: number;
  readonly json?: boolean;
}

/** `env` defaults to the process's: tests run the command in-process against their own store. */
export function registerReplayCommand(program: Command, context: { readonly env?: NodeJS.ProcessEnv } = {}): void {
  program
    .command('replay')
    .description('With --verify: replay the log into scratch tables, up to the checkpoint the live read models have reached, ' +
      'and compare them row by row with the live ones; print the differences and exit 1 if there are any, 3 if it could not verify ' +
      '(the store failed, or every projection that does not match had no live generation of this version to compare with). ' +
      'Live tables are only read; scratch tables are dropped at the end. Same DATABASE_URL / DATA_DIR as the server ' +
      '(embedded: stop the server first, the data folder has one owner).')
    .argument('[names...]', 'projections to verify, e.g. account_health (default: every one)')
    .option('--verify', 'compare a replay with the live read models (required: the only mode)')
    .option('--max-rows <n>', 'differing rows listed per table and kind; the rest are counted', (value) => positiveInteger(value, '--max-rows'), 10)
    .option('--json', 'print the report as JSON')
    .action(checking(async (names: string[], options: ReplayOptions) => {
      const config = loadConfig(context.env ?? process.env);
      const { readModelProjectionsFor } = await import('@ahe/read-models');
      const definitions = readModelProjectionsFor(config);
      if (!options.verify) return refuse('ahe replay needs --verify: it compares a replay of the log with the live read models.', definitions);
      const unknown = names.filter((name) => !definitions.some((definition) => definition.name === name));
      if (unknown.length > 0) return refuse(`No projection is named ${unknown.join(', ')}.`, definitions);
      const selected = names.length === 0 ? definitions : definitions.filter((definition) => names.includes(definition.name));
      await verify(config, selected, options);
    }));
}

async function verify(config: ReturnType<typeof loadConfig>, definitions: readonly ProjectionDefinition[], options: ReplayOptions): Promise<void> {
  const { formatReplayReport, ReplayInterruptedError, verifyReplay } = await import('@ahe/projections');
  // Quit at once by a second Ctrl-C, a run leaves its scratch tables: the next run drops them.
  await interruptible('Stopping after the current batch and dropping the scratch tables', async (signal) => {
    const bar = new ReplayProgressBar();
    let target: CliStore | undefined;
    try {
      target = await openCliStore(config, { existing: true });
      const report = await verifyReplay({
        sql: target.sql,
        store: target.store,
        definitions,
        comparison: READ_MODEL_REPLAY_COMPARISON,
        batchSize: config.projections.batchSize,
        maxRows: options.maxRows,
        signal,
        onProgress: bar.update,
      });
      bar.stop();
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReplayReport(report));
      const exitCode = replayExitCode(report);
      if (exitCode === EXIT.couldNotCheck) process.stderr.write(`${notVerified(report)}\n`);
      process.exitCode = exitCode;
    } catch (error) {
      bar.stop();
      const message = describeFailure(error);
      process.stderr.write(error instanceof ReplayInterruptedError ? `${message}\n` : `Replay failed, nothing was verified: ${message}\n`);
      process.exitCode = error instanceof ReplayInterruptedError ? EXIT.interrupted : EXIT.couldNotCheck;
    } finally {
      await target?.close();
    }
  });
}

/**
 * 0 when every projection matches; 1 when one was compared and differs; 3 when the only
 * projections not identical are those it had nothing to compare with (no live generation, or one
 * built by another version): a cron job must not read a check that never ran as a finding.
 */
export function replayExitCode(report: ReplayVerifyReport): number {
  if (report.identical) return EXIT.ok;
  const differing = report.projections.filter((projection) => !projection.identical);
  return differing.every((projection) => projection.unverifiable !== null) ? EXIT.couldNotCheck : EXIT.found;
}

function notVerified(report: ReplayVerifyReport): string {
  const names = report.projections.filter((projection) => projection.unverifiable !== null).map((projection) => projection.name);
  const others = report.projections.length > names.length ? '; every other projection matches a replay' : '';
  return `Could not verify ${names.join(', ')}: nothing to compare with (the report says why)${others}.`;
}

function refuse(message: string, definitions: readonly ProjectionDefinition[]): void {
  process.stderr.write(`${message}\nUsage: ahe replay --verify [NAME...]\nProjections: ${definitions.map((definition) => definition.name).join(', ')}\n`);
  process.exitCode = EXIT.usage;
}

/** One bar per projection on stderr, like `ahe rebuild`'s: events replayed of those up to the live checkpoint. */
class ReplayProgressBar {
  private bar: SingleBar | undefined;
  private name: string | undefined;
  private started = 0;

  readonly update = (progress: ReplayProgress): void => {
    if (progress.name !== this.name) {
      this.stop();
      this.name = progress.name;
      this.started = performance.now();
      this.bar = new SingleBar({
        stream: process.stderr,
        format: `replaying ${progress.name} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {eta_formatted} left`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      });
      this.bar.start(Math.max(progress.eventsTotal, 1), 0, { rate: 0 });
    }
    const seconds = (performance.now() - this.started) / 1000;
    this.bar!.setTotal(Math.max(progress.eventsTotal, progress.eventsReplayed, 1));
    this.bar!.update(progress.eventsReplayed, { rate: Math.round(progress.eventsReplayed / Math.max(seconds, 0.001)).toLocaleString('en') });
  };

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.name = undefined;
  }
}
