import { accountIdOfStream } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition, RefreshStep } from '@ahe/projections';
import type { PlannedJob } from '../escalation-jobs';
import type { EscalationQueue } from '../queue/escalation-queue.port';
import {
  decideEscalations,
  escalationRulesVersion,
  evolveEscalationWatch,
  initialEscalationWatch,
  nextRecheckAt,
  recheckEscalations,
  type EscalationWatch,
  type EscalationWorkflowOptions,
} from '../workflow';
import { enqueueDecisions } from './enqueue-decisions';
import { announcementsOf } from './escalation-announcements';
import { dueWatches, ESCALATION_WATCH, escalationWatchTable, loadWatches, saveWatches, type StoredWatch } from './escalation-watch.table';

export const ESCALATION_PROCESS_MANAGER = 'escalation_watch';
/** v2: episode ids from the stream, timer causes in the watch, resolutions of causes gone. */
const VERSION = 'v2';
/** Accounts re-checked per round trip of a sweep. */
const SWEEP_CHUNK = 500;

export interface EscalationProcessManagerOptions {
  readonly queue: EscalationQueue;
  readonly workflow: EscalationWorkflowOptions;
  /** Every escalation event read from the log is delivered to each of these. */
  readonly webhookUrls: readonly string[];
  /** How often accounts whose time-based rules are due get re-checked. */
  readonly sweepIntervalMs: number;
  /** Told of every batch of jobs enqueued, for metrics. */
  readonly onEnqueued?: (jobs: readonly PlannedJob[]) => void;
}

/**
 * The escalation process manager, as a projection of the engine: it reads the global log with
 * its own checkpoint (one owner at a time, across processes, by advisory lock), folds each
 * account into an EscalationWatch, lets the pure workflow decide, and enqueues the jobs before
 * the checkpoint commits. While Redis is away the enqueue fails as transient, the batch is
 * rolled back and retried with backoff: the checkpoint waits, and nothing is skipped.
 */
export function escalationProcessManager(options: EscalationProcessManagerOptions): ProjectionDefinition {
  return {
    name: ESCALATION_PROCESS_MANAGER,
    version: `${VERSION}-${escalationRulesVersion(options.workflow.rules)}-${options.workflow.scoring.scoringVersion}`,
    tables: [escalationWatchTable],
    apply: (events, context) => applyBatch(options, events, context),
    refresh: { intervalMs: options.sweepIntervalMs, run: (context) => sweep(options, context) },
  };
}

async function applyBatch(options: EscalationProcessManagerOptions, events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const table = context.table(ESCALATION_WATCH);
  const accountIds = [...new Set(events.map((event) => accountIdOfStream(event.streamId)).filter((id): id is string => id !== null))];
  const watches = await loadWatches(context.tx, table, accountIds);
  const jobs: PlannedJob[] = [];
  const cancellations: string[] = [];
  const touched = new Map<string, StoredWatch>();
  const announcing = { webhookUrls: options.webhookUrls, maxAgeDays: options.workflow.rules.maxAgeDays };
  for (const envelope of events) {
    const accountId = accountIdOfStream(envelope.streamId);
    if (accountId === null) continue;
    const before = watches.get(accountId) ?? initialEscalationWatch(accountId);
    const after = evolveEscalationWatch(before, envelope, options.workflow);
    const decision = decideEscalations(before, after, envelope, options.workflow, context.now);
    jobs.push(...decision.jobs, ...announcementsOf(envelope, after, announcing, context.now));
    cancellations.push(...decision.cancellations);
    watches.set(accountId, after);
    touched.set(accountId, stored(after, options, context.now, envelope.globalPosition));
  }
  options.onEnqueued?.(await enqueueDecisions(options.queue, jobs, cancellations, { tx: context.tx }));
  await saveWatches(context.tx, table, [...touched.values()]);
}

/**
 * Re-checks accounts whose band or trend can change with time alone (no event): one step of the
 * sweep, a transaction of its own, of at most SWEEP_CHUNK due watches; another step follows
 * while the chunks come back full.
 */
async function sweep(options: EscalationProcessManagerOptions, context: ProjectionContext): Promise<RefreshStep> {
  const table = context.table(ESCALATION_WATCH);
  const due = await dueWatches(context.tx, table, context.now, SWEEP_CHUNK);
  if (due.length === 0) return { changed: 0 };
  const jobs: PlannedJob[] = [];
  const cancellations: string[] = [];
  const rows: StoredWatch[] = [];
  for (const watch of due) {
    const rechecked = recheckEscalations(watch, options.workflow, context.now);
    jobs.push(...rechecked.decision.jobs);
    cancellations.push(...rechecked.decision.cancellations);
    rows.push(stored(rechecked.watch, options, context.now, rechecked.watch.facts.position));
  }
  options.onEnqueued?.(await enqueueDecisions(options.queue, jobs, cancellations, { tx: context.tx }));
  await saveWatches(context.tx, table, rows);
  return due.length < SWEEP_CHUNK ? { changed: due.length } : { changed: due.length, next: 'more due' };
}

function stored(watch: EscalationWatch, options: EscalationProcessManagerOptions, now: Date, position: number): StoredWatch {
  const recheckAt = nextRecheckAt(watch, options.workflow, now);
  return { accountId: watch.facts.accountId, watch, recheckAt, position };
}
