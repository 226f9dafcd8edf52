import type { AppConfig } from '@ahe/platform';
import { importsInOneTransaction, type ImportOptions, type ImportProgress, type ImportResult } from '@ahe/import';
import type { EventStore } from '@ahe/event-store';
import { openCliStore, type CliStore } from './cli-store';
import { reportFailure, summary } from './cli-output';
import { ImportProgressBar } from './import-progress.bar';
import { CommandInterruptedError, INTERRUPTED, interruptible } from './interruptible';

export interface StoreImport {
  /** What is imported, for the summary: "<file>", "seed 42". */
  readonly what: string;
  readonly json?: boolean;
  readonly run: (store: EventStore, options: Pick<ImportOptions, 'onProgress' | 'signal'>) => Promise<ImportResult>;
}

const STOPPING = 'Stopping the import: nothing of it will be stored';
const PAST_UNDOING = 'The import cannot stop now: it is appending to EventStoreDB, whose appends cannot be undone, ' +
  'so it goes on to its end; quitting would leave it partly stored';

/**
 * `ahe import` and `ahe seed`: opens the store, runs the import with a progress bar and prints
 * its summary, or why it failed. Ctrl-C from the start (the store opening included) stops it,
 * and nothing of it is stored; on EventStoreDB only until its first append, which it says.
 */
export async function importIntoStore(config: AppConfig, job: StoreImport): Promise<void> {
  const started = performance.now();
  let appendingForGood = false;
  await interruptible(() => (appendingForGood ? PAST_UNDOING : STOPPING), async (signal) => {
    const bar = new ImportProgressBar();
    let target: CliStore | undefined;
    try {
      target = await openCliStore(config);
      signal.throwIfAborted();
      const oneTransaction = importsInOneTransaction(target.store);
      const onProgress = (progress: ImportProgress) => {
        if (progress.phase === 'append' && !oneTransaction) appendingForGood = true;
        bar.update(progress);
      };
      const result = await job.run(target.store, { onProgress, signal });
      bar.stop();
      // Stopped too late: past the commit, or past EventStoreDB's first append.
      if (signal.aborted) process.stderr.write('The import had gone too far to stop: every line was stored.\n');
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(job.json ? `${JSON.stringify({ ...result, seconds })}\n` : `${summary(result, seconds, `${job.what} into the ${target.description}`)}\n`);
    } catch (error) {
      bar.stop();
      if (error instanceof CommandInterruptedError) {
        process.stderr.write(`Import ${error.message}: nothing was appended.\n`);
        process.exitCode = INTERRUPTED;
      } else {
        process.exitCode = reportFailure(error);
      }
    } finally {
      await target?.close();
    }
  });
}
