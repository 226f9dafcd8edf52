import { closeSync, fstatSync, openSync, readFileSync, rmSync, writeSync, type BigIntStats } from 'node:fs';

/**
 * The lock file's content, as JSON. A pid alone cannot tell the owner from a later process given
 * the same pid: after a reboot, or in a container, where the engine is always PID 1 and the lock a
 * killed predecessor left names the process now reading it. The boot and the start time can; they
 * are left out where the system does not say (no /proc). A bare pid, which older builds write,
 * reads as an owner without them.
 */
interface LockOwner {
  readonly pid: number;
  /** /proc/sys/kernel/random/boot_id: no process of an earlier boot is still running. */
  readonly bootId?: string;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
  readonly startTime?: number;
}

/** Locks held through this module, by the lock file's device and inode (a link to the folder is the same folder). */
const heldHere = new Map<string, DataDirLock>();
/** Set by closeHeldDataFolders: the process is about to exit, and a store it opened now would be left open. */
let exiting = false;

/**
 * An exclusive claim on the embedded data folder: PGlite has no locking of its own, and two
 * processes writing one folder lose each other's writes. A lock whose owner has gone is taken over.
 */
export class DataDirLock {
  private closeHolder: (() => Promise<void>) | undefined;
  private released = false;

  private constructor(
    private readonly path: string,
    private readonly identity: string,
  ) {}

  static acquire(path: string, folder: string): DataDirLock {
    if (exiting) throw new Error(`not opening the data folder ${folder}: the process is exiting`);
    for (let attempt = 0; attempt < 2; attempt++) {
      const identity = createLockFile(path);
      if (identity !== undefined) {
        const lock = new DataDirLock(path, identity);
        heldHere.set(identity, lock);
        return lock;
      }
      const user = liveUserOf(path);
      if (user !== undefined) {
        throw new Error(`the data folder ${folder} is in use by ${user}; the embedded store can be opened by one process at a time`);
      }
      rmSync(path, { force: true });
    }
    throw new Error(`could not lock the data folder ${folder}`);
  }

  /** How to close what writes the folder, for a process that exits before its opener could: see closeHeldDataFolders. */
  closesWith(close: () => Promise<void>): void {
    this.closeHolder = close;
  }

  /** Removes the lock file, unless it is no longer this lock's: another process may have made one since. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.identity);
    if (readIfThere(this.path) === ownContent()) rmSync(this.path, { force: true });
  }

  async closeHolderAndRelease(): Promise<void> {
    try {
      await this.closeHolder?.();
    } finally {
      this.release();
    }
  }
}

/**
 * Closes every embedded store this process has open or is opening on a data folder, and refuses
 * to open more: for a process exiting before its modules could close them (a signal or a failure
 * during start-up). Rejects with the first failure once every store has been tried.
 */
export async function closeHeldDataFolders(): Promise<void> {
  exiting = true;
  const outcomes = await Promise.allSettled([...heldHere.values()].map((lock) => lock.closeHolderAndRelease()));
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Creates the lock file naming this process, and returns its identity; undefined when one exists already. */
function createLockFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    writeSync(fd, ownContent());
    return identityOf(fstatSync(fd, { bigint: true }));
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
}

const ownContent = (): string => JSON.stringify({ pid: process.pid, bootId: bootId(), startTime: startTimeOf(process.pid) } satisfies LockOwner);

/** Who keeps the folder in use ("process 42"), or undefined when the lock is stale or has just gone. */
function liveUserOf(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let identity: string;
  let owner: LockOwner | undefined;
  try {
    identity = identityOf(fstatSync(fd, { bigint: true }));
    owner = lockOwnerOf(readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
  if (owner === undefined) return undefined;
  if (owner.bootId !== undefined && owner.bootId !== bootId()) return undefined;
  const startTime = startTimeOf(owner.pid);
  const startedAsRecorded = owner.startTime === undefined || startTime === undefined || startTime === owner.startTime;
  if (owner.pid === process.pid) {
    // Held on another thread when the start time matches; with none recorded, only this module can tell.
    const thisProcess = heldHere.has(identity) || (owner.startTime !== undefined && startTime === owner.startTime);
    return thisProcess ? `process ${owner.pid} (this one)` : undefined;
  }
  return isAlive(owner.pid) && startedAsRecorded ? `process ${owner.pid}` : undefined;
}

/** The owner the file names; undefined when it names none (empty, cut short, garbled). */
function lockOwnerOf(text: string): LockOwner | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { pid, bootId: boot, startTime } = (typeof parsed === 'number' ? { pid: parsed } : (parsed ?? {})) as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    bootId: typeof boot === 'string' ? boot : undefined,
    startTime: typeof startTime === 'number' && Number.isSafeInteger(startTime) ? startTime : undefined,
  };
}

let thisBoot: string | null | undefined;
function bootId(): string | undefined {
  thisBoot ??= readIfThere('/proc/sys/kernel/random/boot_id')?.trim() || null;
  return thisBoot ?? undefined;
}

/** The command name in parentheses may hold spaces and parentheses itself, so fields count from the last ')'. */
function startTimeOf(pid: number): number | undefined {
  const stat = readIfThere(`/proc/${pid}/stat`);
  const startTime = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isSafeInteger(startTime) && startTime > 0 ? startTime : undefined;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const identityOf = (stats: BigIntStats): string => `${stats.dev}:${stats.ino}`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
