import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AccountNotFoundError, accountStreamId } from '@ahe/domain';
import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import {
  accountHealthAsOf, foldAccountAsOf, instantOnAxis, snapshotFor, type AccountAsOf, type AccountHealthAsOf, type AsOfInstant, type ScoringRules,
} from '@ahe/read-models';
import { SCORING_RULES } from '../../queries/scoring-rules.module';
import { AccountSnapshotCache } from './account-snapshots.cache';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

export const ACCOUNT_NOT_YET_OPENED = 'ACCOUNT_NOT_YET_OPENED';

/**
 * One account replayed from its stream up to an instant, with the read models' own folds
 * (libs/read-models/src/as-of): its state, and its health scored at that instant with the LTV
 * models fitted as of it. A long stream resumes from the latest snapshot that serves the instant
 * and reads only the events after it that count (the store filters, the fold checks again): on
 * the occurred axis a back-dated event may sit anywhere after it.
 */
@Injectable()
export class AccountAsOfReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SCORING_RULES) private readonly rules: ScoringRules,
    @Inject(LtvModelsAsOfCache) private readonly ltvModels: LtvModelsAsOfCache,
    @Inject(AccountSnapshotCache) private readonly snapshots: AccountSnapshotCache,
  ) {}

  /** 404 ACCOUNT_NOT_FOUND without a stream; 404 ACCOUNT_NOT_YET_OPENED when it was opened after asOf on the axis. */
  async account(accountId: string, asOf: AsOfInstant): Promise<AccountAsOf> {
    const streamId = accountStreamId(accountId);
    const head = await this.store.streamRevision(streamId);
    if (head === -1) throw new AccountNotFoundError(accountId);
    const snapshot = snapshotFor(await this.snapshots.snapshotsOf(accountId, streamId, head), asOf);
    const tail = await this.store.readStream(streamId, { fromRevision: (snapshot?.facts.revision ?? -1) + 1, asOf });
    const account = foldAccountAsOf(accountId, tail, asOf, snapshot);
    if (!account.facts.state.exists) throw notOpenedYet(accountId, asOf, await this.store.readStream(streamId, { limit: 1 }));
    return account;
  }

  /**
   * The account first, so an unknown or not yet opened one costs no fit; nor does one closed by
   * then, which expects nothing whatever the fit (its ltvFit is null either way).
   */
  async health(accountId: string, asOf: AsOfInstant): Promise<AccountHealthAsOf> {
    const account = await this.account(accountId, asOf);
    const models = account.facts.state.closed ? null : await this.ltvModels.modelsAsOf(asOf);
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
