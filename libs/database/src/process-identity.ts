import { readFileSync, readlinkSync } from 'node:fs';

/** What Linux says of a process beyond its pid (/proc); undefined where it does not. */

let thisBoot: string | null | undefined;
export function bootId(): string | undefined {
  thisBoot ??= readIfThere('/proc/sys/kernel/random/boot_id')?.trim() || null;
  return thisBoot ?? undefined;
}

let thisNamespace: string | null | undefined;
export function pidNamespace(): string | undefined {
  if (thisNamespace === undefined) {
    try {
      thisNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      thisNamespace = null;
    }
  }
  return thisNamespace ?? undefined;
}

/** The command name in parentheses may hold spaces and parentheses itself, so fields count from the last ')'. */
export function startTimeOf(pid: number): number | undefined {
  const stat = readIfThere(`/proc/${pid}/stat`);
  const startTime = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isSafeInteger(startTime) && startTime > 0 ? startTime : undefined;
}

export function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
