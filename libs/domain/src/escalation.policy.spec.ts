import type { AccountCommand } from './account.commands';
import { InvalidCommandError, RuleViolationError } from './domain.errors';
import { accountOpened, escalationOpened, event } from './testing/account-fixtures';
import { given } from './testing/decider-specification';

const TRIGGER = '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f';
const openEscalation = (escalationId = 'esc-1'): AccountCommand => ({
  type: 'OpenEscalation',
  data: { escalationId, rule: 'complaint-sla-breach', reason: 'cmp-1 open at its SLA', triggeringEventId: TRIGGER, severity: 'high' },
});
const acknowledge = (escalationId = 'esc-1'): AccountCommand => ({
  type: 'AcknowledgeEscalation',
  data: { escalationId, by: 'ada@example.com', note: 'On it' },
});
const resolve = (escalationId = 'esc-1'): AccountCommand => ({
  type: 'ResolveEscalation',
  data: { escalationId, resolution: 'Complaint resolved' },
});
const acknowledged = event('EscalationAcknowledged', { escalationId: 'esc-1' });
const resolved = event('EscalationResolved', { escalationId: 'esc-1', resolution: 'Done' });

describe('OpenEscalation', () => {
  it('opens an escalation', () => {
    given([accountOpened()])
      .when(openEscalation())
      .then([
        {
          type: 'EscalationOpened',
          data: { escalationId: 'esc-1', rule: 'complaint-sla-breach', reason: 'cmp-1 open at its SLA', triggeringEventId: TRIGGER, severity: 'high' },
        },
      ]);
  });

  it('refuses an escalation id opened before, even once resolved (409)', () => {
    given([accountOpened(), escalationOpened(), resolved])
      .when(openEscalation())
      .thenThrows(RuleViolationError, { code: 'ESCALATION_ALREADY_EXISTS', field: 'escalationId', status: 409 });
  });

  it('refuses an unknown rule (400)', () => {
    given([accountOpened()])
      .when({ type: 'OpenEscalation', data: { escalationId: 'e', rule: 'gut-feeling', reason: 'r', triggeringEventId: TRIGGER } } as unknown as AccountCommand)
      .thenThrows(InvalidCommandError, { field: 'rule' });
  });
});

describe('AcknowledgeEscalation', () => {
  it('acknowledges an open escalation', () => {
    given([accountOpened(), escalationOpened()])
      .when(acknowledge())
      .then([{ type: 'EscalationAcknowledged', data: { escalationId: 'esc-1', by: 'ada@example.com', note: 'On it' } }]);
  });

  it('refuses an unknown escalation (409)', () => {
    given([accountOpened(), escalationOpened()])
      .when(acknowledge('esc-404'))
      .thenThrows(RuleViolationError, { code: 'UNKNOWN_ESCALATION', field: 'escalationId', status: 409 });
  });

  it('refuses an escalation already acknowledged (409)', () => {
    given([accountOpened(), escalationOpened(), acknowledged])
      .when(acknowledge())
      .thenThrows(RuleViolationError, { code: 'ESCALATION_ALREADY_ACKNOWLEDGED' });
  });

  it('refuses a resolved escalation (409)', () => {
    given([accountOpened(), escalationOpened(), resolved])
      .when(acknowledge())
      .thenThrows(RuleViolationError, { code: 'ESCALATION_ALREADY_RESOLVED' });
  });
});

describe('ResolveEscalation', () => {
  it.each([
    ['open', [escalationOpened()]],
    ['acknowledged', [escalationOpened(), acknowledged]],
  ])('resolves an %s escalation', (_status, history) => {
    given([accountOpened(), ...history])
      .when(resolve())
      .then([{ type: 'EscalationResolved', data: { escalationId: 'esc-1', resolution: 'Complaint resolved' } }]);
  });

  it('refuses an unknown escalation (409)', () => {
    given([accountOpened()]).when(resolve('__proto__')).thenThrows(RuleViolationError, { code: 'UNKNOWN_ESCALATION' });
  });

  it('refuses an escalation already resolved (409)', () => {
    given([accountOpened(), escalationOpened(), resolved])
      .when(resolve())
      .thenThrows(RuleViolationError, { code: 'ESCALATION_ALREADY_RESOLVED', status: 409 });
  });

  it('needs a resolution (400)', () => {
    given([accountOpened(), escalationOpened()])
      .when({ type: 'ResolveEscalation', data: { escalationId: 'esc-1', resolution: '' } })
      .thenThrows(InvalidCommandError, { field: 'resolution' });
  });
});
