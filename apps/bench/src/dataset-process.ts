import { ensureBenchDataset, type DatasetProcessArgs } from './dataset';
import { exitOnceSettled } from './exit-once-settled';

/**
 * The process in which `readyBenchDataset` seeds the shared data set (and builds and fits its
 * read models), so that the suite that asked for it measures in a process without that heap.
 * Its one argument is the data set's options as JSON; its progress lines go to stdout, which the
 * asking process prints as its own.
 */
const args = JSON.parse(process.argv[2] ?? '{}') as DatasetProcessArgs;
ensureBenchDataset({ ...args, log: (line) => process.stdout.write(`${line}\n`) }).then(
  () => exitOnceSettled(0, 'bench data set'),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    exitOnceSettled(1, 'bench data set');
  },
);
