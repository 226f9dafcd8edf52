import type { EventEnvelope } from '@ahe/event-store';
import { initialHealthFacts, type AccountHealthFacts } from '../account-health/account-health.facts';
import { instantMs } from '../scoring/utc-calendar';
import type { AsOfInstant } from './as-of-filter';
import { evolveOrBroken, missingRevision } from './broken-stream.error';

/**
 * The fold of a stream's first events, every one of them, up to `facts.revision`. The log is
 * append-only, so a snapshot never goes stale: an event appended later, back-dated or not, comes
 * after it in revision order, and an as-of fold resumed from it meets that event in its tail.
 * It serves an as-of instant when each of its events counts at that instant on the axis: the
 * latest of their instants on the axis is at or before it.
 */
export interface AccountSnapshot {
  readonly facts: AccountHealthFacts;
  /** Latest occurredAt among the events folded, ms. A back-dated one never lowers it. */
  readonly lastOccurredMs: number;
  /** Latest recordedAt among them, ms. */
  readonly lastRecordedMs: number;
}

/**
 * Folds the envelopes that follow `from` (or the stream from its start) with the live
 * projection's `evolveHealthFacts`, taking a snapshot after each revision r with
 * (r + 1) % every === 0. Returns the new snapshots only. Throws BrokenStreamError for a missing
 * revision or an event before any opening.
 */
export function takeSnapshots(accountId: string, envelopes: Iterable<EventEnvelope>, every: number, from?: AccountSnapshot): AccountSnapshot[] {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be a positive integer, got ${every}`);
  const taken: AccountSnapshot[] = [];
  let facts = from?.facts ?? initialHealthFacts(accountId);
  let lastOccurredMs = from?.lastOccurredMs ?? -Infinity;
  let lastRecordedMs = from?.lastRecordedMs ?? -Infinity;
  for (const envelope of envelopes) {
    if (envelope.revision <= facts.revision) continue;
    if (envelope.revision !== facts.revision + 1) throw missingRevision(envelope.streamId, facts.revision + 1);
    facts = evolveOrBroken(facts, envelope);
    lastOccurredMs = Math.max(lastOccurredMs, instantMs(envelope.occurredAt));
    lastRecordedMs = Math.max(lastRecordedMs, instantMs(envelope.recordedAt));
    if ((envelope.revision + 1) % every === 0) taken.push({ facts, lastOccurredMs, lastRecordedMs });
  }
  return taken;
}

/** Every event of the snapshot counts at asOf on its axis, so an as-of fold may start from it. */
export const snapshotServes = (snapshot: AccountSnapshot, asOf: AsOfInstant): boolean =>
  (asOf.axis === 'occurred' ? snapshot.lastOccurredMs : snapshot.lastRecordedMs) <= asOf.at.getTime();

/** The latest snapshot (snapshots in revision order) that serves asOf; undefined when none does. */
export function snapshotFor(snapshots: readonly AccountSnapshot[], asOf: AsOfInstant): AccountSnapshot | undefined {
  for (let index = snapshots.length - 1; index >= 0; index--) {
    if (snapshotServes(snapshots[index]!, asOf)) return snapshots[index];
  }
  return undefined;
}
