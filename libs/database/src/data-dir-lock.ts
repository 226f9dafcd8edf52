import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * An exclusive claim on the embedded data folder: PGlite has no locking of its own, and two
 * processes writing one folder lose each other's writes. The lock file holds the owner's pid;
 * one left by a process that has died is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(path: string, folder: string): DataDirLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(path, 'utf8').trim());
        if (isAlive(owner)) {
          throw new Error(`the data folder ${folder} is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}; ` +
            'the embedded store can be opened by one process at a time');
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`could not lock the data folder ${folder}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
