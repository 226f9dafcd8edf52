import type { AccountCommand } from './account.commands';
import { InvalidCommandError } from './domain.errors';
import { decide } from './account.decider';
import { initialState } from './account.state';
import { accountOpened } from './testing/account-fixtures';
import { foldGiven, given, SPEC_NOW } from './testing/decider-specification';

// LogContact, RecordSurvey and WinExpansion have no rule beyond the lifecycle and their schema.

describe('LogContact', () => {
  it.each([
    [{ channel: 'call', direction: 'inbound', summary: 'Asked about SSO', sentiment: -1 }],
    [{ channel: 'email', direction: 'outbound', summary: 'Sent release notes' }],
    [{ channel: 'meeting', direction: 'outbound', summary: 'QBR', sentiment: 1 }],
  ] as const)('logs %p', (data) => {
    given([accountOpened()])
      .when({ type: 'LogContact', data } as AccountCommand)
      .then([{ type: 'ContactLogged', data }]);
  });

  it.each([
    [{ channel: 'fax', direction: 'inbound', summary: 'x' }, 'channel'],
    [{ channel: 'call', direction: 'sideways', summary: 'x' }, 'direction'],
    [{ channel: 'call', direction: 'inbound', summary: '' }, 'summary'],
    [{ channel: 'call', direction: 'inbound', summary: 'x', sentiment: 1.01 }, 'sentiment'],
    [{ channel: 'call', direction: 'inbound', summary: 'x', sentiment: '0.5' }, 'sentiment'],
    [{ channel: 'call', direction: 'inbound', summary: 'nul\u0000' }, 'summary'],
  ])('refuses %p naming %s (400)', (data, field) => {
    given([accountOpened()])
      .when({ type: 'LogContact', data } as AccountCommand)
      .thenThrows(InvalidCommandError, { field, status: 400 });
  });

  it('reports every schema issue in details, the first as the field', () => {
    const error = given([accountOpened()])
      .when({ type: 'LogContact', data: { channel: 'fax', direction: 'up', summary: 'x' } } as unknown as AccountCommand)
      .thenThrows(InvalidCommandError, { field: 'channel' });
    expect(error.details).toEqual({
      issues: [
        { path: 'channel', message: expect.stringMatching(/^channel must be one of/) },
        { path: 'direction', message: expect.stringMatching(/^direction must be one of/) },
      ],
    });
    expect(error.message).toMatch(/^channel must be one of .*; direction must be one of/);
  });
});

describe('RecordSurvey', () => {
  it.each([
    ['csat', 1],
    ['csat', 5],
    ['nps', 0],
    ['nps', 10],
  ] as const)('records %s %i', (kind, score) => {
    given([accountOpened()])
      .when({ type: 'RecordSurvey', data: { kind, score, comment: '' } })
      .then([{ type: 'SatisfactionRecorded', data: { kind, score, comment: '' } }]);
  });

  it.each([
    ['csat', 0],
    ['csat', 6],
    ['nps', -1],
    ['nps', 11],
    ['nps', 7.5],
  ] as const)('refuses %s %p: off the scale (400)', (kind, score) => {
    given([accountOpened()])
      .when({ type: 'RecordSurvey', data: { kind, score } })
      .thenThrows(InvalidCommandError, { field: 'score', status: 400 });
  });

  it('refuses an unknown kind of survey (400)', () => {
    given([accountOpened()])
      .when({ type: 'RecordSurvey', data: { kind: 'ces', score: 3 } } as unknown as AccountCommand)
      .thenThrows(InvalidCommandError, { field: 'kind' });
  });
});

describe('WinExpansion', () => {
  it('records an upsell', () => {
    given([accountOpened()])
      .when({ type: 'WinExpansion', data: { amount: 2_400_000, description: '50 more seats' } })
      .then([{ type: 'ExpansionWon', data: { amount: 2_400_000, description: '50 more seats' } }]);
  });

  it.each([
    [{ amount: 0, description: 'x' }, 'amount'],
    [{ amount: 99.5, description: 'x' }, 'amount'],
    [{ amount: 100, description: '   ' }, 'description'],
  ])('refuses %p naming %s (400)', (data, field) => {
    given([accountOpened()])
      .when({ type: 'WinExpansion', data })
      .thenThrows(InvalidCommandError, { field });
  });
});

describe('optional fields', () => {
  it('are left out of the event when a caller sends them as undefined', () => {
    const state = foldGiven([accountOpened()]);
    const [recorded] = decide(
      { type: 'LogContact', data: { channel: 'call', direction: 'inbound', summary: 'x', sentiment: undefined } },
      state,
      { now: SPEC_NOW, occurredAt: SPEC_NOW },
    );
    expect(Object.keys(recorded!.data)).toEqual(['channel', 'direction', 'summary']);
  });

  it('leave an absent contract out of AccountOpened', () => {
    const [recorded] = decide(
      {
        type: 'OpenAccount',
        data: { accountId: 'a', name: 'A', segment: 's', managerId: 'm', currency: 'EUR', contract: undefined },
      },
      initialState(),
      { now: SPEC_NOW, occurredAt: SPEC_NOW },
    );
    expect(recorded!.data).toStrictEqual({ name: 'A', segment: 's', managerId: 'm', currency: 'EUR' });
  });
});
