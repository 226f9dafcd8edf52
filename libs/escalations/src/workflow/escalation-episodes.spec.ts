import { detractorEscalationId, fallingEpisodeEscalationId, redEpisodeEscalationId } from './escalation-ids';
import { fallingEpisodeIds, nextFallingEpisodeId, nextRedEpisodeId } from './escalation-episodes';
import { initialEscalationWatch, type EscalationWatch } from './escalation-watch';
import { applyEscalationEvent, recheckEscalations } from './escalation-workflow';
import * as at from './testing/escalation-events';
import { ACCOUNT, daysAgo, decisionsOf, envelopeOf, rulesWith, watchOf, type HistoryEvent } from './testing/escalation-specification';

const red = (episode: number) => redEpisodeEscalationId(ACCOUNT, episode);
const falling = (episode: number) => fallingEpisodeEscalationId(ACCOUNT, episode);

/** A step of the live run: an event read from the log, or a sweep of the process manager at an instant. */
type Step = HistoryEvent | { readonly sweepAt: string };

/** Wide enough that the replay, run today, may open what the live run opened then. */
const OPTIONS = rulesWith({ maxAgeDays: 365 });

/**
 * The process manager live: each event decided at its own instant, sweeps in between. Answers
 * the job ids planned for each event and by each sweep, and the watch at the end.
 */
function live(steps: readonly Step[]): { readonly jobIds: string[][]; readonly sweeps: string[][]; readonly watch: EscalationWatch } {
  let watch = initialEscalationWatch(ACCOUNT);
  const jobIds: string[][] = [];
  const sweeps: string[][] = [];
  for (const step of steps) {
    const applied =
      'sweepAt' in step
        ? recheckEscalations(watch, OPTIONS, new Date(step.sweepAt))
        : applyEscalationEvent(watch, envelopeOf(step, jobIds.length), OPTIONS, new Date(step.occurredAt));
    ('sweepAt' in step ? sweeps : jobIds).push(applied.decision.jobs.map((job) => job.id));
    watch = applied.watch;
  }
  return { jobIds, sweeps, watch };
}

describe('red episodes numbered by the stream', () => {
  // 60 days without contact turn the spec scorecard red: the nightly sweep sees it first
  const steps: Step[] = [
    at.opened(daysAgo(200)),
    { sweepAt: daysAgo(140) },
    at.expansionWon(daysAgo(139.9)),
    at.escalationOpened(red(1), 'band-red', daysAgo(139.8)),
    at.contacted(daysAgo(139)),
    at.escalationResolved(red(1), daysAgo(138.9)),
    // Red for a few hours, seen by a sweep only; the open job appended after the call took it out of red
    { sweepAt: daysAgo(78.9) },
    at.contacted(daysAgo(78.5)),
    at.escalationOpened(red(2), 'band-red', daysAgo(78.4)),
    at.escalationResolved(red(2), daysAgo(78.3)),
    at.contacted(daysAgo(30)),
    at.renewalLost(daysAgo(10)),
    at.escalationOpened(red(3), 'band-red', daysAgo(9.9)),
    { sweepAt: daysAgo(5) },
    at.renewalWon(daysAgo(4)),
    at.escalationResolved(red(3), daysAgo(3.9)),
    at.renewalLost(daysAgo(2)),
  ];
  const events = steps.filter((step): step is HistoryEvent => !('sweepAt' in step));

  it('gives a live run with sweeps and a replay without them the same ids', () => {
    const { jobIds, sweeps, watch } = live(steps);
    expect(sweeps).toEqual([[`open-${red(1)}`], [`open-${red(2)}`], []]);
    const replayed = decisionsOf(events, OPTIONS).map((decision) => decision.jobs.map((job) => job.id));
    expect(replayed).toEqual(jobIds);
    expect(jobIds).toEqual([
      [],
      // The replay sees red first here, the live run at the sweep before: the same escalation either way
      [`open-${red(1)}`],
      [],
      [`resolve-${red(1)}`],
      [],
      [],
      // Folded after the band had left red: resolved then, by the live run and the replay alike
      [`resolve-${red(2)}`],
      [],
      [],
      // The third escalation on the stream, whoever counted the red stretches
      [`open-${red(3)}`],
      [],
      // Leaving red resolves the escalation the stream holds
      [`resolve-${red(3)}`],
      [],
      [`open-${red(4)}`],
    ]);
    expect(watch).toEqual(watchOf(events, OPTIONS));
  });
});

describe('episode ids', () => {
  it('numbers the next red episode after the band-red escalations on the stream, skipping ids taken', () => {
    expect(nextRedEpisodeId(ACCOUNT, watchOf([at.opened(daysAgo(10))]).facts.state)).toBe(red(1));
    const history = [at.opened(daysAgo(10)), at.escalationOpened(red(1), 'band-red', daysAgo(9)), at.escalationOpened('esc-other', 'invoice-overdue', daysAgo(9))];
    expect(nextRedEpisodeId(ACCOUNT, watchOf(history).facts.state)).toBe(red(2));
    // Earlier code numbered episodes it never escalated: red(2) can be the only one
    expect(nextRedEpisodeId(ACCOUNT, watchOf([at.opened(daysAgo(10)), at.escalationOpened(red(2), 'band-red', daysAgo(9))]).facts.state)).toBe(red(3));
  });

  it('tells falling-trend escalations from detractor ones by id', () => {
    const history = [
      at.opened(daysAgo(10)),
      at.escalationOpened(detractorEscalationId(ACCOUNT, 'acme-e4'), 'satisfaction-drop', daysAgo(9)),
      at.escalationOpened(falling(1), 'satisfaction-drop', daysAgo(8)),
      at.escalationOpened(detractorEscalationId(ACCOUNT, 'acme-e7'), 'satisfaction-drop', daysAgo(7)),
    ];
    const { state } = watchOf(history).facts;
    expect(fallingEpisodeIds(ACCOUNT, state)).toEqual([falling(1)]);
    expect(nextFallingEpisodeId(ACCOUNT, state)).toBe(falling(2));
  });
});
