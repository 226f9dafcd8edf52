import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where `path` is written until it is whole: its folder, so that the rename stays on one file
 * system. Named at random, not by pid: a container's process is always PID 1, and a partial file
 * a killed run left would otherwise stand in the way of every later run.
 */
function partialPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
}

/**
 * The file to replace: a link's target rather than the link, so that `--out` through a link
 * writes where the link points. Undefined for what cannot be replaced by a rename (a pipe,
 * /dev/stdout): that is written to as it is.
 */
async function replaceableTarget(path: string): Promise<string | undefined> {
  const target = await realpath(path).catch(() => path);
  const existing = await stat(target).catch(() => undefined);
  return existing === undefined || existing.isFile() ? target : undefined;
}

/**
 * Writes `chunks` to `path` whole or not at all: into its partial file, flushed to disk, then
 * renamed over it, so a reader never finds half a file under the name and a `path` already
 * there stays as it was until the new one replaces it. A failure or `signal` removes the
 * partial file (stopping the pipeline stops `chunks` too) and fails with the reason. A pipe or a
 * device is written as the lines come ('streamed').
 */
export async function writeFileAtomically(path: string, chunks: Iterable<string>, signal: AbortSignal): Promise<'whole' | 'streamed'> {
  const target = await replaceableTarget(path);
  if (target === undefined) {
    await writeStraight(path, chunks, signal);
    return 'streamed';
  }
  const partial = partialPathOf(target);
  // Exclusive: a file that already has the partial's name belongs to someone else.
  const handle = await open(partial, 'wx').catch((error: Error) => Promise.reject(cannotWrite(path, error)));
  // process.exit (a second Ctrl-C) skips the catch below; 'exit' listeners still run.
  const removeOnExit = () => rmSync(partial, { force: true });
  process.once('exit', removeOnExit);
  try {
    await pipeline(Readable.from(chunks), handle.createWriteStream({ flush: true }), { signal });
    signal.throwIfAborted();
    await rename(partial, target);
    await syncFolderOf(target);
    return 'whole';
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw signal.aborted || !isSystemError(error) ? error : cannotWrite(path, error);
  } finally {
    process.off('exit', removeOnExit);
  }
}

/** A pipe or a device: no file to keep whole, so the lines go out as they come. */
async function writeStraight(path: string, chunks: Iterable<string>, signal: AbortSignal): Promise<void> {
  const handle = await open(path, 'w').catch((error: Error) => Promise.reject(cannotWrite(path, error)));
  try {
    await pipeline(Readable.from(chunks), handle.createWriteStream(), { signal });
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw signal.aborted || !isSystemError(error) ? error : cannotWrite(path, error);
  }
}

/**
 * The rename is durable once the folder that holds the name is: without it a crash could bring
 * back the old file. Some file systems cannot sync a folder; FILE is written all the same, so
 * that is no failure.
 */
async function syncFolderOf(path: string): Promise<void> {
  const folder = await open(dirname(path), 'r').catch(() => undefined);
  try {
    await folder?.sync();
  } catch {
    // Not supported here (EINVAL, ENOTSUP): the rename stands.
  } finally {
    await folder?.close();
  }
}

function cannotWrite(path: string, error: Error): Error {
  return new Error(`cannot write ${path}: ${error.message}`, { cause: error });
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
