import { accountClosedPolicy } from './account-closed.policy';
import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import type { EscalationPolicy, PolicyInput } from './escalation-policies';
import * as at from './testing/escalation-events';
import { ACCOUNT, daysAgo, eventIdAt, NOW, SHIPPED_RULES, watchOf, type HistoryEvent } from './testing/escalation-specification';

const OPENED = at.opened(daysAgo(400));

function ask(policy: EscalationPolicy, history: readonly HistoryEvent[], event: HistoryEvent) {
  const input: PolicyInput = {
    event: { ...event, eventId: eventIdAt(history.length) },
    before: watchOf(history),
    after: watchOf([...history, event]),
    rules: SHIPPED_RULES,
    now: NOW,
  };
  return policy(input);
}

describe('accountClosedPolicy', () => {
  it('cancels pending timers and resolves every escalation not yet resolved', () => {
    const history = [
      OPENED,
      at.complaintRaised('c-1', daysAgo(3)),
      at.invoiceIssued('inv-1', 100, '2026-03-20', daysAgo(3)),
      at.invoiceIssued('inv-2', 100, '2026-03-20', daysAgo(3)),
      at.invoicePaid('inv-2', 100, daysAgo(2)),
      at.escalationOpened('esc-open', 'band-red', daysAgo(2)),
      at.escalationOpened('esc-acked', 'critical-complaint', daysAgo(2)),
      at.escalationAcknowledged('esc-acked', daysAgo(2)),
      at.escalationOpened('esc-done', 'satisfaction-drop', daysAgo(2)),
      at.escalationResolved('esc-done', daysAgo(1)),
    ];
    expect(ask(accountClosedPolicy, history, at.accountClosed(daysAgo(0)))).toEqual([
      { kind: 'cancel', escalationId: complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-1') },
      { kind: 'cancel', escalationId: invoiceEscalationId(ACCOUNT, 'inv-1') },
      { kind: 'resolve', escalationId: 'esc-open', resolution: 'Account closed: Contract ended' },
      { kind: 'resolve', escalationId: 'esc-acked', resolution: 'Account closed: Contract ended' },
    ]);
  });

  it('answers only the closure itself', () => {
    expect(ask(accountClosedPolicy, [OPENED, at.escalationOpened('esc-open', 'band-red', daysAgo(2))], at.contacted(daysAgo(1)))).toEqual([]);
  });
});
