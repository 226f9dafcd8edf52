import { randomUUID } from 'node:crypto';
import { deleteQueueKeys } from '@ahe/escalations';

/**
 * BullMQ prefixes of the escalation benchmarks: one fresh prefix per measurement, so a run
 * never sees another's jobs (nor those of tests sharing the Redis), and every key under it is
 * deleted afterwards. The process id in it lets the next run remove the keys of a run that was
 * stopped before its clean-up (run-lock.ts).
 */
export const freshQueuePrefix = (label: string): string => `bench-${label}-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Deletes every key under the prefix. */
export const dropQueuePrefix = (redisUrl: string, prefix: string): Promise<void> => deleteQueueKeys(redisUrl, prefix);

/** Resolves once `tick` has been called `target` times; for no-op job handlers. */
export class Countdown {
  private count = 0;
  private readonly waiters: { readonly target: number; readonly resolve: () => void }[] = [];

  tick(): void {
    this.count++;
    for (const waiter of this.waiters.filter((candidate) => candidate.target <= this.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  reach(target: number, timeoutMs: number): Promise<void> {
    if (this.count >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.count} of ${target} jobs handled within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ target, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}
