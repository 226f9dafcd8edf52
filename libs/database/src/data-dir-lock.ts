import { closeSync, fstatSync, openSync, readFileSync, rmSync, utimesSync, writeSync, type BigIntStats } from 'node:fs';
import { bootId, isAlive, pidNamespace, readIfThere, startTimeOf } from './process-identity';

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
  /** /proc/self/ns/pid: a pid, and its start time, mean something only in the namespace that gave them. */
  readonly pidNamespace?: string;
}

/**
 * A holder touches its lock file this often, and a lock written in another PID namespace (another
 * container on the folder's volume, or this container's previous run) is taken as live until it
 * is STALE_AFTER_MS old: from there, its pid cannot be asked whether it still runs.
 */
const HEARTBEAT_MS = 10_000;
const STALE_AFTER_MS = 30_000;

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
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly path: string,
    private readonly identity: string,
  ) {
    this.heartbeat = setInterval(() => this.touch(), HEARTBEAT_MS).unref();
  }

  private touch(): void {
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      // Gone (released meanwhile, or removed by hand): the next acquire tells.
    }
  }

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
    clearInterval(this.heartbeat);
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

const ownContent = (): string =>
  JSON.stringify({ pid: process.pid, bootId: bootId(), startTime: startTimeOf(process.pid), pidNamespace: pidNamespace() } satisfies LockOwner);

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
  let touchedMsAgo: number;
  let owner: LockOwner | undefined;
  try {
    const stats = fstatSync(fd, { bigint: true });
    identity = identityOf(stats);
    touchedMsAgo = Date.now() - Number(stats.mtimeMs);
    owner = lockOwnerOf(readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
  if (owner === undefined) return undefined;
  const otherBoot = owner.bootId !== undefined && bootId() !== undefined && owner.bootId !== bootId();
  const otherNamespace = owner.pidNamespace !== undefined && pidNamespace() !== undefined && owner.pidNamespace !== pidNamespace();
  // An earlier boot of this host, or another host on a shared volume: only the heartbeat can tell.
  if (otherBoot || otherNamespace) {
    if (touchedMsAgo >= STALE_AFTER_MS) return undefined;
    return `process ${owner.pid} of another ${otherBoot ? 'boot or host' : 'PID namespace (another container?)'}, whose lock was refreshed ` +
      `${Math.max(0, Math.round(touchedMsAgo / 1000))} s ago (a lock not refreshed for ${STALE_AFTER_MS / 1000} s is taken over)`;
  }
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
  const { pid, bootId: boot, startTime, pidNamespace: namespace } = (typeof parsed === 'number' ? { pid: parsed } : (parsed ?? {})) as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    bootId: typeof boot === 'string' ? boot : undefined,
    startTime: typeof startTime === 'number' && Number.isSafeInteger(startTime) ? startTime : undefined,
    pidNamespace: typeof namespace === 'string' ? namespace : undefined,
  };
}

const identityOf = (stats: BigIntStats): string => `${stats.dev}:${stats.ino}`;
