import type { AccountEvent } from '@ahe/events';
import { foldedAccountOf } from './account-collections';
import { admitEvent, admitParsedEvent } from './account.admission';
import type { DomainError } from './domain.errors';
import { A_BUSY_ACCOUNT } from './testing/account-fixtures';
import { foldGiven } from './testing/decider-specification';

describe('admitParsedEvent: its context check without zod for plain instants', () => {
  const state = foldGiven(A_BUSY_ACCOUNT);
  const opened = foldedAccountOf(state);
  const contact: AccountEvent = { type: 'ContactLogged', data: { channel: 'email', direction: 'inbound', summary: 'Call' } };
  const outcomeOf = (run: () => unknown) => {
    try {
      run();
      return 'admitted';
    } catch (error) {
      const { code, status, field } = error as Partial<DomainError>;
      return { class: (error as Error).constructor.name, message: (error as Error).message, code, status, field };
    }
  };
  const instants = [
    '2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.001Z', '2025-06-01T11:59:59.999Z', '2025-06-01T12:00:00Z',
    '2025-06-01T12:00:00.5Z', '2025-06-01T14:00:00.000+02:00', '2024-02-29T00:00:00.000Z', '2025-02-29T00:00:00.000Z',
    '2025-02-28T23:59:59.999Z', '2025-04-31T00:00:00.000Z', '2025-04-30T00:00:00.000Z', '2025-01-31T00:00:00.000Z',
    '2025-13-01T00:00:00.000Z', '2025-00-10T00:00:00.000Z', '2025-06-00T00:00:00.000Z', '2025-06-01T24:00:00.000Z',
    '2025-06-01T23:60:00.000Z', '2025-06-01T23:00:60.000Z', '0000-01-01T00:00:00.000Z', '+012025-06-01T00:00:00.000Z',
    '2025-06-01T12:00:00.000', '2025-06-01 12:00:00.000Z', ' 2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.000Z\n', '',
  ];
  const nows = ['2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00Z', '2025-06-01T12:00:00.000+00:00', 'yesterday'];
  it.each(nows)('throws what admitEvent throws for every occurredAt, now %s, whatever now came before', (now) => {
    for (const before of [nows[0]!, now]) {
      for (const occurredAt of instants) {
        outcomeOf(() => admitParsedEvent(opened, contact, { now: before, occurredAt: '2020-01-01T00:00:00.000Z' }));
        const context = { now, occurredAt };
        expect([occurredAt, outcomeOf(() => admitParsedEvent(opened, contact, context))])
          .toEqual([occurredAt, outcomeOf(() => admitEvent(state, contact, context))]);
      }
    }
  });
});
