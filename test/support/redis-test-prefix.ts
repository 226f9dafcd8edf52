import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteQueueKeys } from '@ahe/escalations';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ prefix no other test run uses, so specs sharing one Redis never see each other's jobs. */
export const freshQueuePrefix = (label = 'test'): string => `${label}-${randomUUID().slice(0, 8)}`;

/** Deletes every key under the prefix (BullMQ keys are `<prefix>:<queue>:…`). */
export const dropQueuePrefix = (prefix: string): Promise<void> => deleteQueueKeys(TEST_REDIS_URL, prefix);

/** Makes Redis answer no client for `ms` (CLIENT PAUSE ALL), as an outage would. */
export async function pauseRedis(ms: number): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    await redis.call('CLIENT', 'PAUSE', String(ms), 'ALL');
  } finally {
    redis.disconnect();
  }
}
