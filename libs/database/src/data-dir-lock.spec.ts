import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeHeldDataFolders, DataDirLock } from './data-dir-lock';

const hasProc = existsSync('/proc/self/stat');
const onLinux = hasProc ? it : it.skip;

const startTimeOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};
const thisBoot = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('DataDirLock: one process at a time on an embedded data folder', () => {
  let folder: string;
  let lockFile: string;
  const held: DataDirLock[] = [];
  const acquire = (path = lockFile) => {
    const lock = DataDirLock.acquire(path, folder);
    held.push(lock);
    return lock;
  };
  const owner = () => JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; bootId?: string; startTime?: number };

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'ahe-lock-spec-'));
    lockFile = join(folder, 'pglite.lock');
  });
  afterEach(() => {
    for (const lock of held.splice(0)) lock.release();
    rmSync(folder, { recursive: true, force: true });
  });

  it('names its owner, refuses a second claim in this process, also through a link, and is free again once released', () => {
    const lock = acquire();
    expect(owner().pid).toBe(process.pid);
    expect(() => acquire()).toThrow(`the data folder ${folder} is in use by process ${process.pid} (this one)`);
    const link = `${folder}-link`;
    symlinkSync(folder, link);
    try {
      expect(() => acquire(join(link, 'pglite.lock'))).toThrow(/in use by process \d+ \(this one\)/);
    } finally {
      rmSync(link);
    }
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    acquire();
  });

  // In a container the engine is PID 1 on every start: the lock a killed one left names the next.
  it.each([
    ['a bare pid, as older builds write it', () => String(process.pid)],
    ['a start time other than this process\'s', () => JSON.stringify({ pid: process.pid, startTime: hasProc ? startTimeOf(process.pid) - 1 : 1 })],
  ])('takes over a lock naming this process\'s pid that it does not hold: %s', (_, content) => {
    writeFileSync(lockFile, content());
    acquire();
    expect(owner().pid).toBe(process.pid);
    expect(() => acquire()).toThrow(/\(this one\)/);
  });

  onLinux('records the boot, start time and PID namespace, and refuses a lock naming this very process held through another copy of the module (another thread)', () => {
    acquire();
    expect(owner()).toEqual({ pid: process.pid, bootId: thisBoot(), startTime: startTimeOf(process.pid), pidNamespace: readlinkSync('/proc/self/ns/pid') });
    jest.isolateModules(() => {
      const { DataDirLock: elsewhere } = jest.requireActual<typeof import('./data-dir-lock')>('./data-dir-lock');
      expect(() => elsewhere.acquire(lockFile, folder)).toThrow(/\(this one\)/);
    });
  });

  describe('with a lock naming another live process', () => {
    const live = process.ppid;

    it('refuses while it runs, naming it, also when only its pid is known', () => {
      writeFileSync(lockFile, String(live));
      expect(() => acquire()).toThrow(`the data folder ${folder} is in use by process ${live};`);
      if (!hasProc) return;
      writeFileSync(lockFile, JSON.stringify({ pid: live, bootId: thisBoot(), startTime: startTimeOf(live) }));
      expect(() => acquire()).toThrow(`in use by process ${live};`);
    });

    onLinux('takes it over when that pid has since been given to a process that started later', () => {
      writeFileSync(lockFile, JSON.stringify({ pid: live, bootId: thisBoot(), startTime: startTimeOf(live) - 1 }));
      acquire();
      expect(owner().pid).toBe(process.pid);
    });

    onLinux('judges one of another boot (or another host on a shared volume) by its heartbeat: live while fresh, taken over once 30 s old', () => {
      writeFileSync(lockFile, JSON.stringify({ pid: live, bootId: '00000000-0000-0000-0000-000000000000', startTime: startTimeOf(live) }));
      expect(() => acquire()).toThrow(/in use by process \d+ of another boot or host, whose lock was refreshed 0 s ago/);
      const longAgo = new Date(Date.now() - 31_000);
      utimesSync(lockFile, longAgo, longAgo);
      acquire();
      expect(owner().pid).toBe(process.pid);
    });
  });

  it.each([
    ['a process that has died', JSON.stringify({ pid: 999_999 })],
    ['nothing readable', ''],
    ['something else', '{"owner":"me"}'],
  ])('takes over a lock naming %s', (_, content) => {
    writeFileSync(lockFile, content);
    acquire();
    expect(owner().pid).toBe(process.pid);
  });

  onLinux('judges a lock from another PID namespace by how lately its holder refreshed it, since its pid means nothing here', () => {
    const otherContainer = { pid: process.pid, bootId: thisBoot(), startTime: startTimeOf(process.pid), pidNamespace: 'pid:[1]' };
    writeFileSync(lockFile, JSON.stringify(otherContainer));
    expect(() => acquire()).toThrow(/in use by process \d+ of another PID namespace \(another container\?\), whose lock was refreshed 0 s ago/);

    const longAgo = new Date(Date.now() - 31_000);
    utimesSync(lockFile, longAgo, longAgo);
    acquire();
    expect(owner()).toMatchObject({ pid: process.pid, pidNamespace: readlinkSync('/proc/self/ns/pid') });
  });

  it('refreshes its lock file while held, so that another PID namespace sees it live', () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      acquire();
      const longAgo = new Date(Date.now() - 60_000);
      utimesSync(lockFile, longAgo, longAgo);
      jest.advanceTimersByTime(10_000);
      expect(Date.now() - statSync(lockFile).mtimeMs).toBeLessThan(5_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves alone, on release, a lock that another process has made since', () => {
    const lock = acquire();
    rmSync(lockFile);
    writeFileSync(lockFile, JSON.stringify({ pid: process.ppid }));
    lock.release();
    expect(owner()).toEqual({ pid: process.ppid });
  });
});

describe('closeHeldDataFolders: a process exiting before its stores were closed', () => {
  it('closes every holder, releases every lock even when a close fails, then refuses new claims', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ahe-lock-spec-'));
    try {
      const [closing, failing, bare] = ['closing', 'failing', 'bare'].map((name) => join(folder, `${name}.lock`));
      const closed: string[] = [];
      DataDirLock.acquire(closing!, folder).closesWith(async () => void closed.push('closing'));
      DataDirLock.acquire(failing!, folder).closesWith(async () => {
        throw new Error('the store would not close');
      });
      DataDirLock.acquire(bare!, folder);

      await expect(closeHeldDataFolders()).rejects.toThrow('the store would not close');
      expect(closed).toEqual(['closing']);
      for (const path of [closing, failing, bare]) expect(existsSync(path!)).toBe(false);
      expect(() => DataDirLock.acquire(closing!, folder)).toThrow(`not opening the data folder ${folder}: the process is exiting`);
      expect(existsSync(closing!)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
