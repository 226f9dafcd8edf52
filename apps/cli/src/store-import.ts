import type { AppConfig } from '@ahe/platform';
import type { ImportOptions, ImportResult } from '@ahe/import';
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

/**
 * `ahe import` and `ahe seed`: opens the store, runs the import with a progress bar and prints
 * its summary, or why it failed. Ctrl-C from the start (the store opening included) stops it,
 * and nothing of it is stored.
 */
export async function importIntoStore(config: AppConfig, job: StoreImport): Promise<void> {
  const started = performance.now();
  await interruptible('Stopping the import: nothing of it will be stored', async (signal) => {
    const bar = new ImportProgressBar();
    let target: CliStore | undefined;
    try {
      target = await openCliStore(config);
      signal.throwIfAborted();
      const result = await job.run(target.store, { onProgress: bar.update, signal });
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
