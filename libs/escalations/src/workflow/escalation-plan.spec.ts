import { initialState, type AccountState } from '@ahe/domain';
import type { OpenAction } from './escalation-policies';
import { NO_DECISION, planDecision } from './escalation-plan';

const state: AccountState = {
  ...initialState(),
  exists: true,
  escalations: {
    'esc-open': { status: 'open', rule: 'band-red', openedAt: '2026-02-01T00:00:00Z' },
    'esc-acked': { status: 'acknowledged', rule: 'band-red', openedAt: '2026-02-01T00:00:00Z' },
    'esc-done': { status: 'resolved', rule: 'band-red', openedAt: '2026-02-01T00:00:00Z' },
  },
};
const context = { accountId: 'acme', triggeringEventId: 'acme-e7' };
const open = (escalationId: string, reason = 'Why'): OpenAction => ({
  kind: 'open',
  escalationId,
  rule: 'band-red',
  reason,
  condition: { kind: 'always' },
});

describe('planDecision', () => {
  it('never opens an escalation the account already holds, whatever its status', () => {
    expect(planDecision([open('esc-open'), open('esc-acked'), open('esc-done')], state, context)).toBe(NO_DECISION);
  });

  it('resolves only what is open or acknowledged, labelled with the rule the stream recorded', () => {
    const actions = ['esc-open', 'esc-acked', 'esc-done', 'esc-unknown'].map((escalationId) => ({ kind: 'resolve' as const, escalationId, resolution: 'Gone' }));
    const acked = { ...state.escalations['esc-acked']!, rule: 'invoice-overdue' as const };
    const { jobs } = planDecision(actions, { ...state, escalations: { ...state.escalations, 'esc-acked': acked } }, context);
    expect(jobs).toEqual([
      { id: 'resolve-esc-open', job: { kind: 'resolve', accountId: 'acme', escalationId: 'esc-open', resolution: 'Gone', rule: 'band-red' } },
      { id: 'resolve-esc-acked', job: { kind: 'resolve', accountId: 'acme', escalationId: 'esc-acked', resolution: 'Gone', rule: 'invoice-overdue' } },
    ]);
  });

  it('names the event that started a timer planned again, with its correlation, instead of the deciding one', () => {
    const trigger = { eventId: 'acme-e2', correlationId: 'req-9' };
    const [planned] = planDecision([{ ...open('esc-new'), runAt: '2026-03-05T00:00:00.000Z', trigger }], state, { ...context, correlationId: 'req-sweep' }).jobs;
    expect(planned!.job).toMatchObject({ escalation: { triggeringEventId: 'acme-e2' }, correlationId: 'req-9', runAt: '2026-03-05T00:00:00.000Z' });
    const [uncorrelated] = planDecision([{ ...open('esc-new'), trigger: { eventId: 'acme-e2' } }], state, { ...context, correlationId: 'req-sweep' }).jobs;
    expect(uncorrelated!.job).not.toHaveProperty('correlationId');
  });

  it('plans a job or a cancellation asked for twice once, the first one', () => {
    const decision = planDecision(
      [open('esc-new', 'first'), open('esc-new', 'second'), { kind: 'cancel', escalationId: 'esc-timer' }, { kind: 'cancel', escalationId: 'esc-timer' }],
      state,
      context,
    );
    expect(decision).toEqual({
      jobs: [
        {
          id: 'open-esc-new',
          job: {
            kind: 'open',
            accountId: 'acme',
            escalation: { escalationId: 'esc-new', rule: 'band-red', reason: 'first', triggeringEventId: 'acme-e7' },
            condition: { kind: 'always' },
          },
        },
      ],
      cancellations: ['open-esc-timer'],
    });
    expect(decision.jobs[0]!.job).not.toHaveProperty('correlationId');
    expect(decision.jobs[0]).not.toHaveProperty('runAtMs');
  });
});
