import {
  changedEscalations,
  EscalationAccountNotOpenedError,
  evolveEscalationAccount,
  initialEscalationAccount,
  type EscalationAccount,
  type FoldedEnvelope,
} from './escalations.evolve';

let revision = 0;
const event = (type: string, data: unknown, occurredAt = `2025-05-0${Math.min(revision + 1, 9)}T08:00:00.000Z`): FoldedEnvelope => ({
  eventId: `e-${revision}`,
  type,
  revision: revision++,
  globalPosition: 100 + revision,
  occurredAt,
  recordedAt: occurredAt.replace('08:00', '08:01'),
  data,
});
const fold = (account: EscalationAccount, ...events: FoldedEnvelope[]) => events.reduce(evolveEscalationAccount, account);

describe('evolveEscalationAccount', () => {
  let opened: EscalationAccount;
  beforeEach(() => {
    revision = 0;
    opened = fold(
      initialEscalationAccount('acme'),
      event('AccountOpened', { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR' }),
      event('EscalationOpened', { escalationId: 'esc-1', rule: 'critical-complaint', reason: 'Critical', triggeringEventId: 'c-1', severity: 'critical' }),
    );
  });

  it('opens an escalation with the account as it is then', () => {
    expect(opened.escalations['esc-1']).toMatchObject({
      accountName: 'Acme', managerId: 'mgr-1', segment: 'smb', status: 'open', severity: 'critical', dueAt: null,
      createdAt: '2025-05-02T08:00:00.000Z', updatedAt: '2025-05-02T08:01:00.000Z', openedEventId: 'e-1', position: 102,
    });
    expect(opened.revision).toBe(1);
  });

  it('acknowledges open escalations only, and resolves from open or acknowledged once', () => {
    const acknowledged = fold(opened, event('EscalationAcknowledged', { escalationId: 'esc-1', by: 'writer:k1' }));
    expect(acknowledged.escalations['esc-1']).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'writer:k1', acknowledgementNote: null, position: 103 });
    const again = fold(acknowledged, event('EscalationAcknowledged', { escalationId: 'esc-1', by: 'writer:k2' }));
    expect(again.escalations).toBe(acknowledged.escalations);
    const resolved = fold(again, event('EscalationResolved', { escalationId: 'esc-1', resolution: 'Done' }));
    expect(resolved.escalations['esc-1']).toMatchObject({ status: 'resolved', resolution: 'Done', acknowledgedBy: 'writer:k1' });
    const twice = fold(resolved, event('EscalationResolved', { escalationId: 'esc-1', resolution: 'Again' }), event('EscalationAcknowledged', { escalationId: 'esc-1' }));
    expect(twice.escalations).toBe(resolved.escalations);
    expect(twice.revision).toBe(resolved.revision + 2);
  });

  it('moves every escalation to a new manager, and reports only the rows that changed', () => {
    const two = fold(opened, event('EscalationOpened', { escalationId: 'esc-2', rule: 'band-red', reason: 'Red', triggeringEventId: 'x' }));
    expect(changedEscalations(opened, two).map((row) => row.escalationId)).toEqual(['esc-2']);
    const handedOver = fold(two, event('AccountManagerAssigned', { managerId: 'mgr-2' }));
    expect(Object.values(handedOver.escalations).map((row) => [row.managerId, row.position])).toEqual([['mgr-2', 104], ['mgr-2', 104]]);
    expect(changedEscalations(two, handedOver)).toHaveLength(2);
  });

  it('changes nothing for a replayed revision, other event types or unknown ids', () => {
    expect(fold(opened, { ...event('AccountManagerAssigned', { managerId: 'mgr-9' }), revision: 1 })).toBe(opened);
    expect(fold(opened, event('ContactLogged', { channel: 'call' }), event('EscalationSnoozed', {}))).toBe(opened);
    expect(fold(opened, event('EscalationResolved', { escalationId: 'esc-9', resolution: 'x' })).escalations).toBe(opened.escalations);
  });

  it('refuses an escalation on an account not opened yet, naming both', () => {
    revision = 0;
    expect(() => fold(initialEscalationAccount('ghost'), event('EscalationOpened', { escalationId: 'esc-1', rule: 'band-red', reason: 'r', triggeringEventId: 't' })))
      .toThrow(new EscalationAccountNotOpenedError('ghost', { eventId: 'e-0', type: 'EscalationOpened', revision: 0 }));
  });
});
