import { currentSchemaVersion, type AccountEvent } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import { ltvModelsAsOf } from '../backtest/ltv-models-as-of';
import { replayPortfolio } from '../backtest/portfolio-replay';
import { fitLtvModels } from '../ltv/ltv-fit';
import { observeLtv } from '../ltv/ltv-observation';
import type { TimeAxis } from '../ltv/ltv.types';
import { LtvLogIndex } from './ltv-log-index';
import { instantsOver, portfolioLog, random } from './ltv-log.fixtures';

const AXES: readonly TimeAxis[] = ['occurred', 'recorded'];

async function* streamOf(envelopes: readonly EventEnvelope[]): AsyncGenerator<EventEnvelope> {
  yield* envelopes;
}

/** What the as-of fit was made of before the index: a replay of the whole log, observed at the instant. */
async function replayedInput(log: readonly EventEnvelope[], at: Date, axis: TimeAxis) {
  const replay = await replayPortfolio(streamOf(log), { asOf: at, axis });
  const observations = replay.accounts.map(({ facts }) => observeLtv(facts.ltv, at)).filter((observation) => observation.kind !== 'none');
  return { replay, input: { observations, position: replay.position } };
}

describe('LtvLogIndex', () => {
  it('gives the observations and position a replay of the whole log fits on, at every instant on both axes, so the same fit', async () => {
    const log = portfolioLog(11, 40, 2_000);
    const index = new LtvLogIndex();
    index.add(log);
    const instants = instantsOver(log, 30);
    for (const at of instants) {
      for (const axis of AXES) expect(index.observationsAsOf({ at, axis })).toEqual((await replayedInput(log, at, axis)).input);
    }
    // fitLtvModels is a function of its input: the fits themselves, at the last instant.
    for (const at of instants.slice(-1)) {
      for (const axis of AXES) {
        const models = ltvModelsAsOf((await replayedInput(log, at, axis)).replay);
        const indexed = index.observationsAsOf({ at, axis })!;
        expect(fitLtvModels(indexed.observations, { asOf: at, axis, position: indexed.position })).toEqual(models);
        // BG/NBD ran: fitted, or refused with its reason.
        expect([models.sbg.length > 0, models.bgnbd !== null || models.rejected!.some(({ model }) => model === 'bgnbd')]).toEqual([true, true]);
      }
    }
  });

  it('folds a long account from its checkpoints as a replay folds it from its start', async () => {
    // Two accounts of about 1,500 events each, hundreds of invoices: several checkpoints, back-dated events after them.
    const log = portfolioLog(31, 2, 3_000);
    const index = new LtvLogIndex();
    index.add(log);
    for (const at of instantsOver(log, 40)) {
      for (const axis of AXES) expect(index.observationsAsOf({ at, axis })).toEqual((await replayedInput(log, at, axis)).input);
    }
  });

  it('fed in pages, answers each time like a replay of the log so far', async () => {
    const log = portfolioLog(23, 15, 900);
    const index = new LtvLogIndex();
    const next = random(5);
    for (let offset = 0; offset < log.length;) {
      const end = Math.min(log.length, offset + 1 + Math.floor(next() * 150));
      index.add(log.slice(offset, end));
      offset = end;
      const prefix = log.slice(0, end);
      for (const at of instantsOver(prefix, 4)) {
        for (const axis of AXES) expect(index.observationsAsOf({ at, axis })).toEqual((await replayedInput(prefix, at, axis)).input);
      }
    }
    expect(index.events).toBe(log.filter((envelope) => envelope.streamId.startsWith('account-')).length);
  });

  const envelope = (streamId: string, revision: number, position: number, type: AccountEvent['type'] | 'AccountOpened', data: unknown, occurredAt: string, recordedAt = occurredAt): EventEnvelope => ({
    eventId: `${streamId}-${revision}`, type, schemaVersion: currentSchemaVersion(type), streamId, revision, globalPosition: position, occurredAt, recordedAt, data,
    metadata: { hash: '', previousHash: '' },
  });
  const opening = (streamId: string, position: number, at: string, recordedAt = at) =>
    envelope(streamId, 0, position, 'AccountOpened', { name: 'x', segment: 'smb', managerId: 'm', currency: 'EUR', contract: { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 100 } }, at, recordedAt);
  const renewalLost = (streamId: string, revision: number, position: number, at: string, recordedAt = at) => envelope(streamId, revision, position, 'RenewalLost', { reason: 'budget' }, at, recordedAt);

  it('leaves to the replay an instant at which an event counts without its opening, which the replay leaves out as the projection parks it', async () => {
    // Recorded in March as having occurred in January, before the opening of February.
    const log = [opening('account-b', 1, '2024-02-01T00:00:00.000Z'), renewalLost('account-b', 1, 2, '2024-01-15T00:00:00.000Z', '2024-03-01T00:00:00.000Z'), opening('account-c', 3, '2024-01-01T00:00:00.000Z')];
    const index = new LtvLogIndex();
    index.add(log);
    const between = new Date('2024-01-20T00:00:00.000Z');
    expect(index.observationsAsOf({ at: between, axis: 'occurred' })).toBeNull();
    const replayed = await replayedInput(log, between, 'occurred');
    expect(replayed.input.observations).toEqual([{ kind: 'contractual', segment: 'smb', sbg: { renewals: 0, churned: false } }]);
    expect(replayed.replay.accounts.map((account) => account.facts.accountId)).toEqual(['c']);
    for (const [at, axis] of [[between, 'recorded'], [new Date('2024-03-02T00:00:00.000Z'), 'occurred'], [new Date('2024-01-10T00:00:00.000Z'), 'occurred']] as const) {
      expect(index.observationsAsOf({ at, axis })).toEqual((await replayedInput(log, at, axis)).input);
    }
  });

  it('answers null for good once a stream does not start with its one opening', () => {
    const headless = new LtvLogIndex();
    headless.add([opening('account-d', 1, '2024-01-01T00:00:00.000Z'), renewalLost('account-e', 0, 2, '2024-01-02T00:00:00.000Z')]);
    expect(headless.observationsAsOf({ at: new Date('2024-06-01T00:00:00.000Z'), axis: 'recorded' })).toBeNull();
    const reopened = new LtvLogIndex();
    reopened.add([opening('account-d', 1, '2024-01-01T00:00:00.000Z')]);
    expect(reopened.observationsAsOf({ at: new Date('2024-06-01T00:00:00.000Z'), axis: 'recorded' })).not.toBeNull();
    reopened.add([{ ...opening('account-d', 2, '2024-01-05T00:00:00.000Z'), revision: 1 }]);
    expect(reopened.observationsAsOf({ at: new Date('2024-06-01T00:00:00.000Z'), axis: 'recorded' })).toBeNull();
  });
});
