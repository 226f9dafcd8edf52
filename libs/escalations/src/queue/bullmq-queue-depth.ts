import type { Queue } from 'bullmq';
import type { QueueDepth } from './escalation-queue.port';

/** One BullMQ queue's jobs by state; prioritized jobs wait like any other. */
export async function bullQueueDepth(queue: QueueDepth['queue'], target: Queue): Promise<QueueDepth> {
  const counts = await target.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed');
  const count = (type: string) => counts[type] ?? 0;
  return {
    queue,
    waiting: count('waiting') + count('prioritized'),
    delayed: count('delayed'),
    active: count('active'),
    completed: count('completed'),
    failed: count('failed'),
  };
}
