import { Redis } from 'ioredis';

/**
 * Deletes every Redis key under a BullMQ prefix (`<prefix>:<queue>:…`): a finished benchmark
 * or test run, or a decommissioned deployment sharing the Redis. SCAN, never KEYS, so a large
 * Redis is not blocked while it runs.
 */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
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
