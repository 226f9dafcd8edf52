import type { EventStoreDBClient, JSONEventData } from '@eventstore/db-client';
import { InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { GENESIS_HASH } from '../hash-chain';
import { assertExpectedRevision, prepareBatch, revisionMatches } from '../append-checks';
import { sealBatch } from '../sealed-batch';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { actualRevisionOf, isWrongExpectedVersion, toPortError } from './esdb-errors';
import { claimEventIds } from './esdb-event-id-claims';
import { engineMetadata, fromEsdbEvent, toEsdbEvent, type EsdbRecordedEvent } from './esdb-event-layout';
import { matchStoredBatch, type StoredEvent } from './esdb-idempotency';
import { expectedForHead, toCheckpoint } from './esdb-positions';
import { readLastEvent, readStreamEvents } from './esdb-reads';
import { assertPortable } from './portable-json';

export interface EsdbAppenderOptions {
  readonly clock: () => Date;
  /** Test seam: runs just before the write; a throw means nothing is written. */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
}

/** Conflicts under 'any'/'stream_exists' are retried: the caller did not ask to fail on them. */
const MAX_ATTEMPTS = 50;

type Head = { revision: number; hash: string; recordedAt: Date | null };

/**
 * Appends with the hash chain: reads the head (the stream's last event), seals the batch on
 * it and writes with the head's revision as the server-side expected revision, so a writer
 * that raced us is refused by EventStoreDB and we start again from the new head.
 */
export class EsdbAppender {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbAppenderOptions,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertExpectedRevision(expected);
    const prepared = prepareBatch(streamId, events);
    if (streamId.startsWith('$')) throw new InvalidEventError('streamId may not start with $ (EventStoreDB system streams)', 'streamId');
    // A dry seal: whatever can refuse the input does so before anything (a claim) is written.
    assertPortable(sealBatch(streamId, { revision: -1, hash: GENESIS_HASH }, prepared, new Date(0)));
    // Only ids the caller chose can be stored already (or elsewhere); fresh random ones cannot.
    const chosen = prepared.filter((_, index) => events[index]!.eventId !== undefined).map((event) => event.eventId!);
    const allNew = chosen.length === 0 || (await claimEventIds(this.client, streamId, chosen));
    let actual = -1;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Once we lost a race, the winner may have been a retry of this very batch: look.
      const earlier = chosen.length > 0 && (!allNew || attempt > 1) ? await this.findStored(streamId, prepared) : undefined;
      if (earlier) return earlier;
      const head = await this.head(streamId);
      actual = head.revision;
      if (!revisionMatches(expected, head.revision)) throw new WrongExpectedRevisionError(streamId, expected, head.revision);
      const sealed = sealBatch(streamId, head, prepared, this.options.clock());
      const batch = { firstRevision: sealed[0]!.revision, size: sealed.length };
      await this.options.beforeCommit?.(streamId);
      try {
        // The client types data as a JSON object/array/string; it only JSON.stringify's it, and
        // the port lets data be any JSON value.
        const written = sealed.map((event) => toEsdbEvent(event, batch)) as unknown as JSONEventData[];
        await this.client.appendToStream(streamId, written, {
          expectedRevision: expectedForHead(head.revision),
        });
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw toPortError(error, streamId, expected);
        actual = actualRevisionOf(error);
        await jitter(attempt);
        continue;
      }
      return this.confirm(streamId, sealed[sealed.length - 1]!.revision, sealed[sealed.length - 1]!.metadata.hash, prepared);
    }
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }

  private async head(streamId: string): Promise<Head> {
    const last = await readLastEvent(this.client, streamId);
    if (!last) return { revision: -1, hash: GENESIS_HASH, recordedAt: null };
    const envelope = fromEsdbEvent(last);
    return { revision: envelope.revision, hash: envelope.metadata.hash, recordedAt: new Date(envelope.recordedAt) };
  }

  /**
   * Reads back the last event written: its log position is the result's, and its hash proves
   * the server stored OUR events. EventStoreDB answers an append of ids it already holds at
   * those revisions with success without writing; then the stored batch decides.
   */
  private async confirm(streamId: string, lastRevision: number, hash: string, prepared: readonly NewEvent[]): Promise<AppendResult> {
    let last: EsdbRecordedEvent | undefined;
    for await (const event of readStreamEvents(this.client, streamId, { fromRevision: lastRevision, maxCount: 1 })) last = event;
    const envelope = last && fromEsdbEvent(last);
    if (!envelope || envelope.metadata.hash !== hash) {
      const earlier = await this.findStored(streamId, prepared);
      if (earlier) return earlier;
      throw new Error(`append to ${streamId} reported success but revision ${lastRevision} is not what was written`);
    }
    return {
      streamId,
      revision: lastRevision,
      firstRevision: lastRevision - prepared.length + 1,
      position: envelope.globalPosition,
      eventIds: prepared.map((event) => event.eventId!),
      checkpoint: toCheckpoint(last!.position!),
      duplicate: false,
    };
  }

  /**
   * Scans the stream for the batch's ids (newest first: a retry is usually recent). A full
   * scan at worst, paid only by appends that bring their own event ids.
   */
  private async findStored(streamId: string, prepared: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const wanted = new Set(prepared.map((event) => event.eventId!));
    const found: StoredEvent[] = [];
    for await (const event of readStreamEvents(this.client, streamId, { backward: true })) {
      if (!wanted.has(event.id.toLowerCase())) continue;
      const meta = engineMetadata(event);
      const envelope = fromEsdbEvent(event);
      found.unshift({ envelope, batch: meta!.batch, checkpoint: toCheckpoint(event.position!) });
      if (found.length === wanted.size) break;
    }
    return matchStoredBatch(streamId, found, prepared);
  }
}

function jitter(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** attempt, 50);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
