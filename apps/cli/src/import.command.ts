import { createReadStream } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { importNdjson, NDJSON_PIECE_BYTES } from '@ahe/import';
import { loadConfig, unreadableFile } from '@ahe/platform/config';
import { keepsBaselineTier, keepWasmOnBaselineTier } from './wasm-baseline-tier';
import { importIntoStore } from './store-import';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import an NDJSON file of account events into the store of DATABASE_URL or DATA_DIR. ' +
      'Every line is validated first; nothing is appended if one is invalid.')
    .argument('<file>', 'NDJSON, one {"accountId","type","data","occurredAt","streamId"?} per line')
    .option('--batch-size <n>', 'events per append', (value) => positiveInteger(value, '--batch-size'), 500)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { batchSize: number; json?: boolean }) => {
      assertReadableFile(file);
      const totalLines = await countLines(file);
      const config = loadConfig(process.env);
      // Before the embedded store's WebAssembly is compiled.
      if (keepsBaselineTier(config.store, totalLines)) keepWasmOnBaselineTier();
      await importIntoStore(config, {
        what: file,
        json: options.json,
        run: (store, progress) => importNdjson(store, createReadStream(file, { highWaterMark: NDJSON_PIECE_BYTES }), {
          totalLines, batchSize: options.batchSize, actor: 'cli', ...progress,
        }),
      });
    });
}

/** A file to read lines from: it exists, is a regular file (not a folder) and this process may read it. */
function assertReadableFile(file: string): void {
  const problem = unreadableFile(file);
  if (problem !== undefined) throw new Error(`cannot read ${file}: ${problem === 'a folder' ? 'it is a folder' : problem}`);
}

export function positiveInteger(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError(`${name} must be a positive integer.`);
  return number;
}

/** Counts line breaks quickly (no decoding), so the validation bar has a total. */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, index + 1)) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === 0x0a ? lines : lines + 1;
}
