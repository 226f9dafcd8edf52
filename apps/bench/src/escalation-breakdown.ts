import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { latencies, type Latencies } from './measure';
import type { Arrival } from './webhook-sink';

/**
 * Where the command → webhook time goes, per account, from timestamps the run leaves behind:
 * the sender's clock, BullMQ's job timestamps (added, taken by a worker; all stamped by this
 * process) and the EscalationOpened event's recordedAt (stamped by the worker before its
 * append). Every clock is this process's, so the differences are comparable.
 */
export interface Stage {
  readonly label: string;
  readonly latency: Latencies;
}

interface Sent {
  readonly accountId: string;
  readonly sentAt: number;
  readonly answeredAt: number;
}

/** The instants one critical complaint passes, in order. */
interface Trace {
  readonly sent: number;
  readonly answered: number;
  readonly openAdded: number;
  readonly openTaken: number;
  readonly recorded: number;
  readonly deliverAdded: number;
  readonly deliverTaken: number;
  readonly arrived: number;
}

const STAGES: readonly [string, keyof Trace, keyof Trace][] = [
  ['1 command: POST … 201 (append, commit)', 'sent', 'answered'],
  ['2 process manager reads complaint → open job added', 'answered', 'openAdded'],
  ['3 open job waits for a worker', 'openAdded', 'openTaken'],
  ['4 worker reads stream, decides (→ recordedAt)', 'openTaken', 'recorded'],
  ['5 append; process manager reads EscalationOpened → deliver job added', 'recorded', 'deliverAdded'],
  ['6 deliver job waits for a worker', 'deliverAdded', 'deliverTaken'],
  ['7 worker signs and POSTs; receiver has the body', 'deliverTaken', 'arrived'],
];

export async function stageTimings(redisUrl: string, prefix: string, sent: readonly Sent[], arrivals: ReadonlyMap<string, Arrival>): Promise<Stage[]> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    const [openJobs, deliverJobs] = await Promise.all(['escalations', 'webhooks'].map((name) => completedJobs(connection, prefix, name)));
    const opens = byAccount(openJobs!, (job) => (job.data as { kind?: string; accountId?: string }).kind === 'open' ? (job.data as { accountId: string }).accountId : undefined);
    const delivers = byAccount(deliverJobs!, (job) => deliveredAccount(job));
    const traces = sent.flatMap((one): Trace[] => {
      const open = opens.get(one.accountId);
      const deliver = delivers.get(one.accountId);
      const arrival = arrivals.get(one.accountId);
      if (!open?.processedOn || !deliver?.processedOn || !arrival?.body.recordedAt) return [];
      return [
        {
          sent: one.sentAt,
          answered: one.answeredAt,
          openAdded: open.timestamp,
          openTaken: open.processedOn,
          recorded: Date.parse(arrival.body.recordedAt),
          deliverAdded: deliver.timestamp,
          deliverTaken: deliver.processedOn,
          arrived: arrival.at,
        },
      ];
    });
    return STAGES.map(([label, from, to]) => ({ label, latency: latencies(traces.map((trace) => trace[to] - trace[from])) }));
  } finally {
    connection.disconnect();
  }
}

async function completedJobs(connection: Redis, prefix: string, name: string): Promise<Job[]> {
  const queue = new Queue(name, { connection, prefix });
  try {
    return await queue.getJobs(['completed'], 0, -1);
  } finally {
    await queue.close();
  }
}

/** The account of a delivery of a critical-complaint EscalationOpened, from the body it carried. */
function deliveredAccount(job: Job): string | undefined {
  const data = job.data as { kind?: string; body?: string };
  if (data.kind !== 'deliver' || typeof data.body !== 'string') return undefined;
  const body = JSON.parse(data.body) as { type?: string; accountId?: string; data?: { rule?: string } };
  return body.type === 'EscalationOpened' && body.data?.rule === 'critical-complaint' ? body.accountId : undefined;
}

function byAccount(jobs: readonly Job[], accountOf: (job: Job) => string | undefined): Map<string, Job> {
  const found = new Map<string, Job>();
  for (const job of jobs) {
    const accountId = accountOf(job);
    if (accountId !== undefined && !found.has(accountId)) found.set(accountId, job);
  }
  return found;
}
