import { queueOf, type PlannedJob } from '../escalation-jobs';
import type { EnqueueContext, EscalationQueue, QueuedJob } from '../queue/escalation-queue.port';

export function toQueuedJob(planned: PlannedJob): QueuedJob {
  return {
    id: planned.id,
    queue: queueOf(planned.job),
    name: planned.job.kind,
    data: planned.job,
    ...(planned.runAtMs === undefined ? {} : { runAtMs: planned.runAtMs }),
  };
}

/**
 * Enqueues a batch's jobs, then cancels the timers whose cause went away. Called inside the
 * batch's transaction, before its checkpoint commits: if the queue is away this throws a
 * transient error, the batch rolls back, and it is decided and enqueued again later. Ids are
 * deterministic, so the jobs of a batch enqueued twice run once.
 */
export async function enqueueDecisions(
  queue: EscalationQueue,
  jobs: readonly PlannedJob[],
  cancellations: readonly string[],
  within: EnqueueContext,
): Promise<readonly PlannedJob[]> {
  const unique = new Map<string, PlannedJob>();
  for (const job of jobs) if (!unique.has(job.id)) unique.set(job.id, job);
  if (unique.size > 0) await queue.enqueue([...unique.values()].map(toQueuedJob), within);
  for (const id of new Set(cancellations)) await queue.cancel('escalations', id, within);
  return [...unique.values()];
}
