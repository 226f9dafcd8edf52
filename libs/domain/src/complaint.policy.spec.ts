import { DEFAULT_SLA_HOURS, SEVERITIES } from '@ahe/events';
import type { AccountCommand } from './account.commands';
import { InvalidCommandError, RuleViolationError } from './domain.errors';
import { accountOpened, complaintRaised, event } from './testing/account-fixtures';
import { given } from './testing/decider-specification';

type RaiseComplaintData = Extract<AccountCommand, { type: 'RaiseComplaint' }>['data'];

const raiseComplaint = (data: Partial<RaiseComplaintData> = {}): AccountCommand => ({
  type: 'RaiseComplaint',
  data: { complaintId: 'cmp-2', severity: 'medium', category: 'billing', description: 'Charged twice', ...data },
});

const resolveComplaint = (complaintId = 'cmp-1'): AccountCommand => ({
  type: 'ResolveComplaint',
  data: { complaintId, resolution: 'Refunded' },
});

const complaintResolved = (complaintId = 'cmp-1') => event('ComplaintResolved', { complaintId, resolution: 'Done' });

describe('RaiseComplaint', () => {
  it('records the complaint with the SLA deadline given', () => {
    given([accountOpened()])
      .when(raiseComplaint({ slaDueAt: '2025-06-02T12:00:00Z' }))
      .then([
        {
          type: 'ComplaintRaised',
          data: { complaintId: 'cmp-2', severity: 'medium', category: 'billing', description: 'Charged twice', slaDueAt: '2025-06-02T12:00:00Z' },
        },
      ]);
  });

  it.each(SEVERITIES)('defaults a %s complaint\'s SLA to occurredAt + DEFAULT_SLA_HOURS', (severity) => {
    const occurredAt = '2025-05-30T08:00:00Z';
    const slaDueAt = new Date(Date.parse(occurredAt) + DEFAULT_SLA_HOURS[severity] * 3_600_000).toISOString();
    given([accountOpened()])
      .when(raiseComplaint({ severity }), { occurredAt })
      .then([
        {
          type: 'ComplaintRaised',
          data: { complaintId: 'cmp-2', severity, category: 'billing', description: 'Charged twice', slaDueAt },
        },
      ]);
  });

  it('refuses an id already open (409)', () => {
    given([accountOpened(), complaintRaised('cmp-2')])
      .when(raiseComplaint())
      .thenThrows(RuleViolationError, { code: 'COMPLAINT_ALREADY_EXISTS', field: 'complaintId', status: 409 });
  });

  it('refuses an id already resolved: ids are never reused (409)', () => {
    given([accountOpened(), complaintRaised('cmp-2'), complaintResolved('cmp-2')])
      .when(raiseComplaint())
      .thenThrows(RuleViolationError, { code: 'COMPLAINT_ALREADY_EXISTS' });
  });

  it('refuses an SLA deadline that is not after the complaint (400)', () => {
    given([accountOpened()])
      .when(raiseComplaint({ slaDueAt: '2025-05-31T12:00:00Z' }), { occurredAt: '2025-05-31T12:00:00Z' })
      .thenThrows(InvalidCommandError, { code: 'SLA_NOT_AFTER_RAISED', field: 'slaDueAt', status: 400 });
  });

  it.each([
    [{ severity: 'urgent' as never }, 'severity'],
    [{ complaintId: 'cmp 2' }, 'complaintId'],
    [{ category: 'x'.repeat(101) }, 'category'],
    [{ description: '' }, 'description'],
    [{ slaDueAt: '2025-06-02 12:00' }, 'slaDueAt'],
  ])('refuses %p naming %s (400)', (patch, field) => {
    given([accountOpened()]).when(raiseComplaint(patch)).thenThrows(InvalidCommandError, { field });
  });
});

describe('ResolveComplaint', () => {
  it('resolves an open complaint', () => {
    given([accountOpened(), complaintRaised()])
      .when(resolveComplaint())
      .then([{ type: 'ComplaintResolved', data: { complaintId: 'cmp-1', resolution: 'Refunded' } }]);
  });

  it('refuses an unknown complaint (409)', () => {
    given([accountOpened(), complaintRaised()])
      .when(resolveComplaint('cmp-404'))
      .thenThrows(RuleViolationError, { code: 'UNKNOWN_COMPLAINT', field: 'complaintId', status: 409 });
  });

  it.each(['constructor', '__proto__', 'toString'])('does not mistake %p for a complaint', (complaintId) => {
    given([accountOpened()])
      .when(resolveComplaint(complaintId))
      .thenThrows(RuleViolationError, { code: 'UNKNOWN_COMPLAINT' });
  });

  it('refuses a complaint already resolved (409)', () => {
    given([accountOpened(), complaintRaised(), complaintResolved()])
      .when(resolveComplaint())
      .thenThrows(RuleViolationError, { code: 'COMPLAINT_ALREADY_RESOLVED', field: 'complaintId' });
  });

  it('refuses a resolution back-dated before the complaint was raised (409)', () => {
    given([accountOpened(), complaintRaised('cmp-1', '2025-03-01T10:00:00Z')])
      .when(resolveComplaint(), { occurredAt: '2025-03-01T09:59:59Z' })
      .thenThrows(RuleViolationError, { code: 'RESOLVED_BEFORE_RAISED', field: 'occurredAt' });
  });

  it('needs a resolution (400)', () => {
    given([accountOpened(), complaintRaised()])
      .when({ type: 'ResolveComplaint', data: { complaintId: 'cmp-1', resolution: ' ' } })
      .thenThrows(InvalidCommandError, { field: 'resolution' });
  });
});
