import { rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where `path` is written until it is whole: its folder, so that the rename stays on one file system. */
function partialPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
}

/**
 * Writes `chunks` to `path` whole or not at all: into its partial file, flushed to disk, then
 * renamed over it, so a reader never finds half a file under the name and a `path` already
 * there stays as it was until the new one replaces it. A failure or `signal` removes the
 * partial file (stopping the pipeline stops `chunks` too) and fails with the reason.
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string>, signal: AbortSignal): Promise<void> {
  const partial = partialPathOf(path);
  // Exclusive: a file that already has the partial's name belongs to someone else.
  const handle = await open(partial, 'wx').catch((error: Error) => Promise.reject(cannotWrite(path, error)));
  // process.exit (a second Ctrl-C) skips the catch below; 'exit' listeners still run.
  const removeOnExit = () => rmSync(partial, { force: true });
  process.once('exit', removeOnExit);
  try {
    await pipeline(Readable.from(chunks), handle.createWriteStream({ flush: true }), { signal });
    signal.throwIfAborted();
    await rename(partial, path);
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw signal.aborted || !isSystemError(error) ? error : cannotWrite(path, error);
  } finally {
    process.off('exit', removeOnExit);
  }
}

function cannotWrite(path: string, error: Error): Error {
  return new Error(`cannot write ${path}: ${error.message}`, { cause: error });
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
