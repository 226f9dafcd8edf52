import { fitSbg, type SbgObservation } from '@ahe/analytics';
import type { EventEnvelope } from '@ahe/event-store';
import { accountEnvelopes, healthFactsOf, opened, type HistoryEvent } from '../account-health/account-health.fixtures';
import { defaultScoringRulesFile, loadScoringRules } from '../scoring/scoring-rules.loader';
import { backtestChurnRisk, ltvModelsAsOf, replayPortfolio } from './index';

const rules = loadScoringRules(defaultScoringRulesFile());
const asOf = new Date('2024-06-01T00:00:00.000Z');

async function* streamOf(envelopes: readonly EventEnvelope[]): AsyncGenerator<EventEnvelope> {
  yield* envelopes;
}

/** Several accounts' streams as one log, positions ascending. */
function logOf(histories: Record<string, readonly HistoryEvent[]>): EventEnvelope[] {
  let position = 1;
  return Object.entries(histories).flatMap(([accountId, events]) => {
    const envelopes = accountEnvelopes(accountId, events, position);
    position += envelopes.length;
    return envelopes;
  });
}

const contact = (occurredAt: string): HistoryEvent => ({ type: 'ContactLogged', occurredAt, data: { channel: 'call', direction: 'outbound', summary: 'check-in' } });
const critical = (complaintId: string, occurredAt: string): HistoryEvent => ({
  type: 'ComplaintRaised', occurredAt, data: { complaintId, severity: 'critical', category: 'outage', description: 'down', slaDueAt: '2024-02-02T00:00:00.000Z' },
});
const closed = (occurredAt: string): HistoryEvent => ({ type: 'AccountClosed', occurredAt, data: { reason: 'left' } });
const contract = (endsOn: string) => ({ startsOn: '2020-01-01', endsOn, annualValue: 1_200_00 });
const won = (occurredAt: string, endsOn: string): HistoryEvent => ({ type: 'RenewalWon', occurredAt, data: { endsOn, annualValue: 1_200_00 } });
const lost = (occurredAt: string): HistoryEvent => ({ type: 'RenewalLost', occurredAt, data: { reason: 'budget' } });

describe('replayPortfolio', () => {
  const history = [opened('2024-01-01T09:00:00.000Z'), contact('2024-03-01T09:00:00.000Z'), contact('2024-07-01T09:00:00.000Z'), closed('2024-08-01T09:00:00.000Z')];
  // The March contact was recorded in July: back-dated.
  const backDated = accountEnvelopes('acme', history).map((envelope, revision) =>
    revision === 1 ? { ...envelope, globalPosition: 3, recordedAt: '2024-07-02T00:00:00.000Z' } : { ...envelope, globalPosition: revision < 1 ? 1 : revision + 1 },
  );
  const inLogOrder = [backDated[0]!, backDated[2]!, backDated[1]!, backDated[3]!].map((envelope, index) => ({ ...envelope, globalPosition: index + 1 }));

  it('folds what had occurred by asOf on the occurred axis, back-dated events included, as the projection would have', async () => {
    const replay = await replayPortfolio(streamOf(accountEnvelopes('acme', history)), { asOf, axis: 'occurred' });
    expect(replay.accounts).toHaveLength(1);
    expect(replay.accounts[0]!.facts).toEqual(healthFactsOf('acme', history.slice(0, 2)));
    expect(replay.position).toBe(2);
    const late = await replayPortfolio(streamOf(inLogOrder), { asOf, axis: 'occurred' });
    expect(late.accounts[0]!.facts.lastContactAt).toBe('2024-03-01T09:00:00.000Z');
  });

  it('leaves out on the recorded axis what was recorded after asOf, whenever it occurred', async () => {
    const replay = await replayPortfolio(streamOf(inLogOrder), { asOf, axis: 'recorded' });
    expect(replay.accounts[0]!.facts.lastContactAt).toBeNull();
    expect(replay.position).toBe(1);
  });

  it('observes the earliest churn after asOf up to observeUntil, by occurredAt, and leaves out accounts opened later', async () => {
    const log = logOf({
      early: [opened('2024-01-01T00:00:00.000Z', contract('2024-12-31')), lost('2024-07-01T00:00:00.000Z'), closed('2024-12-31T00:00:00.000Z')],
      before: [opened('2024-01-01T00:00:00.000Z'), closed('2024-05-01T00:00:00.000Z')],
      late: [opened('2024-07-01T00:00:00.000Z'), closed('2024-07-02T00:00:00.000Z')],
    });
    const churnedAt = async (observeUntil?: Date) =>
      Object.fromEntries((await replayPortfolio(streamOf(log), { asOf, axis: 'occurred', observeUntil })).accounts.map((a) => [a.facts.accountId, a.churnedAt]));
    expect(await churnedAt()).toEqual({ early: '2024-07-01T00:00:00.000Z', before: null });
    expect(await churnedAt(new Date('2024-07-01T00:00:00.000Z'))).toEqual({ early: '2024-07-01T00:00:00.000Z', before: null });
    expect(await churnedAt(new Date('2024-06-30T23:59:59.999Z'))).toEqual({ early: null, before: null });
  });

  it('leaves out an event before its account was opened, as the projection parks it, and folds the others', async () => {
    const log = logOf({ acme: history.slice(0, 2), orphan: [contact('2024-02-01T09:00:00.000Z'), opened('2024-03-01T09:00:00.000Z'), contact('2024-04-01T09:00:00.000Z')] });
    const replay = await replayPortfolio(streamOf(log), { asOf, axis: 'occurred' });
    expect(replay.accounts.map((account) => account.facts.accountId)).toEqual(['acme', 'orphan']);
    expect(replay.accounts[0]!.facts).toEqual(healthFactsOf('acme', history.slice(0, 2)));
    expect(replay.accounts[1]!.facts.state.exists).toBe(true);
    expect(replay.accounts[1]!.facts.lastContactAt).toBe('2024-04-01T09:00:00.000Z');
  });

  it('observes churn on the recorded axis by recordedAt: a loss recorded after asOf is an outcome, not a fact', async () => {
    const log = logOf({ late: [opened('2024-01-01T00:00:00.000Z', contract('2024-12-31')), lost('2024-05-01T00:00:00.000Z')] });
    const [opening, loss] = [...log];
    const recordedLate = [opening!, { ...loss!, recordedAt: '2024-07-15T00:00:00.000Z' }];
    const recorded = await replayPortfolio(streamOf(recordedLate), { asOf, axis: 'recorded' });
    expect(recorded.accounts[0]).toMatchObject({ churnedAt: '2024-07-15T00:00:00.000Z' });
    expect(recorded.accounts[0]!.facts.state.renewalStatus).toBe('undecided');
    const occurred = await replayPortfolio(streamOf(recordedLate), { asOf, axis: 'occurred' });
    expect(occurred.accounts[0]).toMatchObject({ churnedAt: null });
    expect(occurred.accounts[0]!.facts.state.renewalStatus).toBe('lost');
  });
});

describe('backtestChurnRisk', () => {
  const quietUntil = contact('2024-05-28T00:00:00.000Z');
  const troubled = [opened('2024-01-01T00:00:00.000Z'), critical('c1', '2024-02-01T00:00:00.000Z'), critical('c2', '2024-02-01T01:00:00.000Z')];
  const quiet = [opened('2024-01-01T00:00:00.000Z'), quietUntil];
  const log = logOf({
    'troubled-1': [...troubled, closed('2024-07-15T00:00:00.000Z')],
    'troubled-2': [...troubled, closed('2024-08-29T00:00:00.000Z')],
    'quiet-1': [...quiet, closed('2024-07-01T00:00:00.000Z')],
    'quiet-2': quiet,
    'quiet-3': [...quiet, closed('2024-12-01T00:00:00.000Z')],
    'closed-before': [opened('2024-01-01T00:00:00.000Z'), closed('2024-05-01T00:00:00.000Z')],
    'lost-before': [opened('2024-01-01T00:00:00.000Z', contract('2024-09-30')), lost('2024-05-01T00:00:00.000Z'), closed('2024-09-30T00:00:00.000Z')],
    'opened-after': [opened('2024-07-01T00:00:00.000Z'), closed('2024-07-02T00:00:00.000Z')],
  });

  it('scores the accounts open at asOf against churn within the horizon: AUC, lift and calibration with their counts', async () => {
    const replay = await replayPortfolio(streamOf(log), { asOf, axis: 'occurred' });
    const result = backtestChurnRisk(replay, rules, { horizonDays: 90 });
    expect(result).toMatchObject({ asOf: asOf.toISOString(), horizonDays: 90, axis: 'occurred', accounts: 5, churned: 3, churnRate: 0.6, excluded: { closed: 1, renewalLost: 1 } });
    // Troubled accounts outscore quiet ones; quiet ones tie. Positives troubled ×2 and quiet-1
    // against negatives quiet-2 and quiet-3: 4 wins and 2 ties of 6 pairs.
    expect(result.auc).toBeCloseTo(5 / 6, 12);
    expect(result.roc[0]).toEqual({ threshold: Infinity, tpr: 0, fpr: 0 });
    expect(result.roc.at(-1)).toMatchObject({ tpr: 1, fpr: 1 });
    expect(result.liftByDecile.map((decile) => decile.accounts)).toEqual([1, 1, 1, 1, 1]);
    expect(result.liftByDecile.slice(0, 2).map((decile) => decile.positives)).toEqual([1, 1]);
    const [green, amber, red] = result.calibration;
    expect(green).toMatchObject({ band: 'green', accounts: 3, churned: 1, meanChurnRisk: 0 });
    expect(green!.churnRate).toBeCloseTo(1 / 3, 12);
    expect(amber).toMatchObject({ band: 'amber', accounts: 2, churned: 2, churnRate: 1 });
    expect(amber!.meanChurnRisk).toBeGreaterThanOrEqual(rules.bands.amber);
    expect(red).toEqual({ band: 'red', accounts: 0, churned: 0, churnRate: null, meanChurnRisk: null });
  });

  it('has no AUC when nobody churned within the horizon', async () => {
    const replay = await replayPortfolio(streamOf(log), { asOf, axis: 'occurred' });
    const result = backtestChurnRisk(replay, rules, { horizonDays: 1 });
    expect(result).toMatchObject({ accounts: 5, churned: 0, churnRate: 0, auc: null });
    expect(result.liftByDecile.every((decile) => decile.lift === 0)).toBe(true);
  });

  it('refuses a replay that stopped observing before the horizon ends', async () => {
    const replay = await replayPortfolio(streamOf(log), { asOf, axis: 'occurred', observeUntil: new Date('2024-07-01T00:00:00.000Z') });
    expect(() => backtestChurnRisk(replay, rules, { horizonDays: 90 })).toThrow('short of the 90-day horizon');
  });
});

describe('ltvModelsAsOf', () => {
  /** One-year contracts from 2020; account i renews `renewals[i]` times, then loses its renewal or is still in its term. */
  const cohort: readonly { renewals: number; churns: boolean }[] = [
    ...Array.from({ length: 12 }, () => ({ renewals: 0, churns: true })),
    ...Array.from({ length: 7 }, () => ({ renewals: 1, churns: true })),
    ...Array.from({ length: 5 }, () => ({ renewals: 2, churns: true })),
    ...Array.from({ length: 4 }, () => ({ renewals: 3, churns: true })),
    ...Array.from({ length: 9 }, () => ({ renewals: 4, churns: false })),
  ];
  const yearEnd = (year: number) => `${2020 + year}-12-31`;
  const decidedOn = (year: number) => `${2020 + year}-12-01T00:00:00.000Z`;
  const log = logOf(
    Object.fromEntries(
      cohort.map(({ renewals, churns }, index) => [
        `c${index}`,
        [
          opened('2020-01-01T00:00:00.000Z', contract(yearEnd(0))),
          ...Array.from({ length: renewals }, (_, year) => won(decidedOn(year), yearEnd(year + 1))),
          ...(churns ? [lost(decidedOn(renewals))] : []),
        ],
      ]),
    ),
  );

  it('fits the sBG on the renewals as they stood at asOf: later decisions unknown, those accounts censored', async () => {
    const midway = new Date('2022-06-01T00:00:00.000Z');
    const models = ltvModelsAsOf(await replayPortfolio(streamOf(log), { asOf: midway, axis: 'occurred' }));
    // By mid-2022 two decisions were known: those who churned at the first or second are churned,
    // everyone else has survived what they faced so far.
    const known: SbgObservation[] = cohort.map(({ renewals, churns }) =>
      churns && renewals < 2 ? { renewals, churned: true } : { renewals: Math.min(renewals, 2), churned: false },
    );
    const expected = fitSbg(known)!;
    expect(models).toMatchObject({ asOf: midway.toISOString(), axis: 'occurred', bgnbd: null, gammaGamma: null });
    expect(models.sbg).toHaveLength(1);
    expect(models.sbg[0]).toMatchObject({ segment: 'smb', n: cohort.length });
    // The projection's fit aggregates identical accounts: the same optimum, reached within the optimizer's tolerance.
    expect(models.sbg[0]!.alpha).toBeCloseTo(expected.params.alpha, 4);
    expect(models.sbg[0]!.beta).toBeCloseTo(expected.params.beta, 4);
    expect(models.sbg[0]!.logLikelihood).toBeCloseTo(expected.logLikelihood, 6);
  });

  it('fits nothing before anyone had opened', async () => {
    const models = ltvModelsAsOf(await replayPortfolio(streamOf(log), { asOf: new Date('2019-01-01T00:00:00.000Z'), axis: 'occurred' }));
    expect(models).toMatchObject({ position: 0, sbg: [], bgnbd: null, gammaGamma: null });
  });
});
