import type { SqlClient } from '@ahe/database';
import { announceCommit, claimInlineNotify, markAnnouncedInline, type InlineNotify } from './commit-wakeups';

/** A PostgreSQL client that only records the statements sent; the clock and timers are Jest's. */
function recordingClient(): { sql: SqlClient; notifies: () => number } {
  const sent: string[] = [];
  const sql = { kind: 'postgres', query: async (text: string) => (sent.push(text), { rows: [] }) } as unknown as SqlClient;
  return { sql, notifies: () => sent.filter((text) => text.includes('pg_notify')).length };
}

/** A batch announced inline, then 3 ms later a commit within the gap: its NOTIFY pending, due 7 ms on; the claim of a batch started then. */
function claimWhilePending(sql: SqlClient): InlineNotify {
  markAnnouncedInline(sql, claimInlineNotify(sql)!, {});
  jest.advanceTimersByTime(3);
  announceCommit(sql);
  const claim = claimInlineNotify(sql);
  expect(claim?.covers).toBeDefined();
  return claim!;
}

describe('commit wake-ups for other processes (scheduling)', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-03T00:00:00.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('announces the first commit after a quiet spell at once, and commits within the gap by one NOTIFY at its end', () => {
    const { sql, notifies } = recordingClient();
    announceCommit(sql);
    jest.advanceTimersByTime(0);
    expect(notifies()).toBe(1);
    jest.advanceTimersByTime(3);
    announceCommit(sql);
    jest.advanceTimersByTime(3);
    announceCommit(sql);
    jest.advanceTimersByTime(3);
    expect(notifies()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(notifies()).toBe(2);
  });

  it('lets a batch claim the NOTIFY when one is due, counting it as sent', () => {
    const { sql, notifies } = recordingClient();
    const claim = claimInlineNotify(sql);
    expect(claim).toEqual({});
    markAnnouncedInline(sql, claim!, {});
    jest.advanceTimersByTime(5);
    // Within the gap of that claim and nothing pending: the next batch does not carry one.
    expect(claimInlineNotify(sql)).toBeUndefined();
    expect(notifies()).toBe(0);
  });

  it('lets a batch started while a wake-up is pending carry it: once that batch has announced inline, the pending NOTIFY is not sent', () => {
    const { sql, notifies } = recordingClient();
    const claim = claimWhilePending(sql);
    jest.advanceTimersByTime(5);
    const result = {};
    markAnnouncedInline(sql, claim, result);
    announceCommit(sql, result);
    jest.advanceTimersByTime(50);
    expect(notifies()).toBe(0);
  });

  it('still sends the pending NOTIFY at its time when the batch that claimed it commits later, or never announces', () => {
    const { sql, notifies } = recordingClient();
    const slow = claimWhilePending(sql);
    jest.advanceTimersByTime(7);
    expect(notifies()).toBe(1);
    markAnnouncedInline(sql, slow, {});
    expect(notifies()).toBe(1);

    // A claim whose statement wrote nothing (its head had moved) is never marked: the wake-up pending goes out anyway.
    jest.advanceTimersByTime(3);
    announceCommit(sql);
    expect(claimInlineNotify(sql)?.covers).toBeDefined();
    jest.advanceTimersByTime(10);
    expect(notifies()).toBe(2);
  });

  it('does not cancel a wake-up that became pending after the claim: that commit may follow the batch\'s', () => {
    const { sql, notifies } = recordingClient();
    const claim = claimWhilePending(sql);
    jest.advanceTimersByTime(7); // the pending one goes out while the batch is in flight
    expect(notifies()).toBe(1);
    jest.advanceTimersByTime(2);
    announceCommit(sql); // another writer's commit on the same client, pending again
    markAnnouncedInline(sql, claim, {});
    jest.advanceTimersByTime(20);
    expect(notifies()).toBe(2);
  });

  it('sends nothing for the embedded store, which has no other processes to wake', () => {
    const { sql, notifies } = recordingClient();
    const embedded = Object.assign(Object.create(sql) as SqlClient, { kind: 'embedded' });
    announceCommit(embedded);
    jest.advanceTimersByTime(20);
    expect(claimInlineNotify(embedded)).toBeUndefined();
    expect(notifies()).toBe(0);
  });
});
