import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BenchOptions } from './bench-options';
import { sweepLeftovers } from './run-lock';

/** What runs stopped before their clean-up left (run-lock.ts); a failure to remove it is reported, not fatal. */
export async function sweep(options: BenchOptions, log: (line: string) => void): Promise<void> {
  try {
    const { schemas, queuePrefixes, folders } = await sweepLeftovers({ databaseUrl: options.databaseUrl, redisUrl: options.redisUrl });
    const removed = [
      schemas.length > 0 ? `schema(s) ${schemas.join(', ')}` : '',
      queuePrefixes.length > 0 ? `BullMQ prefix(es) ${queuePrefixes.join(', ')}` : '',
      folders.length > 0 ? `temporary folder(s) ${folders.join(', ')}` : '',
    ].filter(Boolean);
    if (removed.length > 0) log(`removed what stopped runs left: ${removed.join('; ')}`);
  } catch (error) {
    log(`could not remove what stopped runs left (the run goes on): ${(error as Error).message}`);
  }
}

/** Why `--json` or `--chart` could not be written, naming the flag; null when both can. */
export function unwritableOutput(options: Pick<BenchOptions, 'jsonFile' | 'chartFile'>): string | null {
  for (const [flag, file] of [['--json', options.jsonFile], ['--chart', options.chartFile]] as const) {
    if (file === undefined) continue;
    const path = resolve(file);
    const folder = dirname(path);
    const folderStat = statSync(folder, { throwIfNoEntry: false });
    if (!folderStat) return `${flag}: cannot write ${file}: the folder ${folder} does not exist`;
    if (!folderStat.isDirectory()) return `${flag}: cannot write ${file}: ${folder} is not a folder`;
    const fileStat = statSync(path, { throwIfNoEntry: false });
    if (fileStat?.isDirectory()) return `${flag}: cannot write ${file}: it is a folder`;
    try {
      accessSync(fileStat ? path : folder, constants.W_OK);
    } catch {
      return `${flag}: cannot write ${file}: ${fileStat ? 'the file is' : `the folder ${folder} is`} not writable`;
    }
  }
  return null;
}
