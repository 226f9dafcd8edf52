import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import {
  accountHealthAsOf, BrokenStreamError, foldAccountAsOf, hasEnded, instantOnAxis, snapshotFor, type AccountAsOf, type AccountHealthAsOf, type AsOfInstant, type ScoringRules,
} from '@ahe/read-models';
import { SCORING_RULES } from '../../queries/scoring-rules.module';
import { existingAccountStream } from '../verify/existing-account-stream';
import { AccountSnapshotCache } from './account-snapshots.cache';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

export const ACCOUNT_NOT_YET_OPENED = 'ACCOUNT_NOT_YET_OPENED';
export const STREAM_BROKEN = 'STREAM_BROKEN';

/**
 * One account replayed from its stream up to an instant, with the read models' own folds
 * (libs/read-models/src/as-of): its state, and its health scored at that instant with the LTV
 * models fitted as of it. A long stream resumes from the latest snapshot that serves the instant
 * and reads the events after it (tail): on the occurred axis a back-dated event may sit anywhere
 * after it. A revision missing from the log, or a log ending before its head row, is refused
 * (409), never folded around.
 */
@Injectable()
export class AccountAsOfReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SCORING_RULES) private readonly rules: ScoringRules,
    @Inject(LtvModelsAsOfCache) private readonly ltvModels: LtvModelsAsOfCache,
    @Inject(AccountSnapshotCache) private readonly snapshots: AccountSnapshotCache,
  ) {}

  /**
   * 404 ACCOUNT_NOT_FOUND without a stream (neither head row nor events); 404
   * ACCOUNT_NOT_YET_OPENED when it was opened after asOf on the axis; 409 STREAM_BROKEN when a
   * revision is missing, the log ends before its head, or an event precedes any opening.
   */
  async account(accountId: string, asOf: AsOfInstant): Promise<AccountAsOf> {
    try {
      return await this.fold(accountId, asOf);
    } catch (error) {
      if (error instanceof BrokenStreamError) throw streamBroken(accountId, error);
      throw error;
    }
  }

  private async fold(accountId: string, asOf: AsOfInstant): Promise<AccountAsOf> {
    const { streamId, head } = await existingAccountStream(this.store, accountId);
    const snapshots = await this.snapshots.snapshotsOf(accountId, streamId, head);
    const snapshot = snapshotFor(snapshots, asOf);
    const checkedThrough = snapshots.at(-1)?.facts.revision ?? -1;
    const tail = await this.tail(streamId, asOf, snapshot?.facts.revision ?? -1, checkedThrough);
    const account = foldAccountAsOf(accountId, tail, asOf, snapshot, { checkedThrough, head });
    if (!account.facts.state.exists) throw notOpenedYet(accountId, asOf, await this.store.readStream(streamId, { limit: 1 }));
    return account;
  }

  /**
   * The events after `resumedAfter`. Past the stream's last snapshot (`checkedThrough`) every
   * one, counting or not, so that the fold tells a deleted row from one that does not count:
   * under one snapshot spacing, or a whole stream shorter than the snapshot threshold. Before
   * it, where takeSnapshots already found every revision, only those that count: an instant
   * early in a long stream, which no later snapshot serves, reads its few events, not the stream.
   */
  private async tail(streamId: string, asOf: AsOfInstant, resumedAfter: number, checkedThrough: number): Promise<EventEnvelope[]> {
    const unchecked = await this.store.readStream(streamId, { fromRevision: checkedThrough + 1 });
    if (resumedAfter >= checkedThrough) return unchecked;
    const counted = await this.store.readStream(streamId, { fromRevision: resumedAfter + 1, asOf });
    return [...counted.filter((envelope) => envelope.revision <= checkedThrough), ...unchecked];
  }

  /**
   * The account first, so an unknown or not yet opened one costs no fit; nor does one churned or
   * closed by then, which expects nothing whatever the fit (its ltvFit is null either way). `keepFit: false`
   * for an instant no one will ask for again (LtvModelsAsOfCache.modelsAsOf).
   */
  async health(accountId: string, asOf: AsOfInstant, { keepFit = true }: { readonly keepFit?: boolean } = {}): Promise<AccountHealthAsOf> {
    const account = await this.account(accountId, asOf);
    const models = hasEnded(account.facts, asOf.at.getTime()) ? null : await this.ltvModels.modelsAsOf(asOf, { keep: keepFit });
    return accountHealthAsOf(account, this.rules, models);
  }
}

function notOpenedYet(accountId: string, asOf: AsOfInstant, envelopes: readonly EventEnvelope[]): NotFoundException {
  const opened = envelopes.find((envelope) => envelope.type === 'AccountOpened');
  const existsFrom = opened === undefined ? null : instantOnAxis(opened, asOf.axis);
  const at = asOf.at.toISOString();
  return new NotFoundException({
    message: `Account ${accountId} did not exist yet at ${at} on the ${asOf.axis} axis`
      + (existsFrom === null ? '' : ` (it exists from ${existsFrom} on that axis)`),
    code: ACCOUNT_NOT_YET_OPENED,
    details: { accountId, asOf: at, axis: asOf.axis, existsFrom },
  });
}

/** A log changed behind the engine's back: the request is fine, the stream is not; the tamper check says how. */
function streamBroken(accountId: string, error: BrokenStreamError): ConflictException {
  const at = error.revision === null ? '' : ` at revision ${error.revision}`;
  return new ConflictException({
    message: `The stream of account ${accountId} cannot be replayed${at} (${error.reason}); `
      + `GET /v1/accounts/${accountId}/verify names where its hash chain breaks`,
    code: STREAM_BROKEN,
    details: { accountId, revision: error.revision, reason: error.reason, verify: `/v1/accounts/${accountId}/verify` },
  });
}
