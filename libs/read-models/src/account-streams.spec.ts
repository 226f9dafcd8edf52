import type { EventEnvelope } from '@ahe/event-store';
import { groupByAccount } from './account-streams';

describe('groupByAccount', () => {
  const envelope = (streamId: string, revision: number) => ({ streamId, revision }) as EventEnvelope;

  it('groups by account in order of first appearance, each account in log order, and leaves other streams out', () => {
    const log = [envelope('account-b', 0), envelope('$projections', 0), envelope('account-a', 0), envelope('account-b', 1), envelope('account-', 0), envelope('account-a', 1)];
    const grouped = groupByAccount(log);
    expect([...grouped.keys()]).toEqual(['b', 'a']);
    expect(grouped.get('b')!.map((event) => event.revision)).toEqual([0, 1]);
    expect(grouped.get('a')!.map((event) => event.revision)).toEqual([0, 1]);
  });
});
