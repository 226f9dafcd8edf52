import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * BullMQ prefixes of the escalation benchmarks: one fresh prefix per measurement, so a run
 * never sees another's jobs (nor those of tests sharing the Redis), and every key under it is
 * deleted afterwards.
 */
export const freshQueuePrefix = (label: string): string => `bench-${label}-${randomUUID().slice(0, 8)}`;

/** Deletes every key under the prefix (BullMQ keys are `<prefix>:<queue>:…`). */
export async function dropQueuePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

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
